package io.xcomhybrid.json;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large values stream: the output reaches the sink while the value is still being produced, so memory does not grow
 * with the value. Each test checks how much output had arrived when the input ran out, a deterministic stand-in for
 * a heap measurement.
 */
class TestStreaming
{
    private static final int ITEMS = 500_000;
    private static final long BUFFER_SLACK = 64 * 1024;
    private static final String PADDING = "x".repeat(100);

    private final XComJson json = XComJson.standard();

    @Test
    void writesA50MegabyteListWithoutHoldingIt()
            throws IOException
    {
        CountingSink sink = new CountingSink();
        long[] writtenWhenLastItemWasProduced = new long[1];
        Iterable<Object> items = () -> new Iterator<>()
        {
            private int next;

            @Override
            public boolean hasNext()
            {
                return next < ITEMS;
            }

            @Override
            public Object next()
            {
                if (next >= ITEMS) {
                    throw new NoSuchElementException();
                }
                int index = next++;
                if (next == ITEMS) {
                    writtenWhenLastItemWasProduced[0] = sink.count;
                }
                return index % 5 == 0 ? index / 7.0 : "item-" + index + "-\u00e9-" + PADDING;
            }
        };
        json.write(items, sink);

        assertThat(sink.count).isGreaterThan(50_000_000L);
        assertThat(writtenWhenLastItemWasProduced[0]).isGreaterThan(sink.count - BUFFER_SLACK);
        assertThat(sink.last).isEqualTo((byte) ']');
        assertThat(sink.closed).isFalse();
    }

    @Test
    void transcodesA50MegabyteDocumentWithoutHoldingIt()
            throws IOException
    {
        GeneratedJson input = new GeneratedJson(ITEMS);
        CountingSink sink = new CountingSink();
        input.sink = sink;
        json.transcode(input, sink);

        assertThat(input.produced).isGreaterThan(50_000_000L);
        // compact "1E5"-style input grows by the Python separators and float repr
        assertThat(sink.count).isGreaterThan(input.produced);
        assertThat(input.writtenAtEnd).isGreaterThan(sink.count - BUFFER_SLACK);
    }

    /** {"items":[{"n":0,"f":1E0,"s":"..."}, ...]} produced on demand. */
    private static final class GeneratedJson
            extends InputStream
    {
        private final int items;
        private int next;
        private byte[] chunk = "{\"items\":[".getBytes(US_ASCII);
        private int position;
        private boolean ended;
        long produced;
        long writtenAtEnd = -1;
        CountingSink sink;

        GeneratedJson(int items)
        {
            this.items = items;
        }

        @Override
        public int read()
        {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
        {
            if (position == chunk.length && !refill()) {
                if (writtenAtEnd < 0) {
                    writtenAtEnd = sink.count;
                }
                return -1;
            }
            int count = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, count);
            position += count;
            produced += count;
            return count;
        }

        private boolean refill()
        {
            if (ended) {
                return false;
            }
            if (next == items) {
                chunk = "]}".getBytes(US_ASCII);
                ended = true;
            }
            else {
                int index = next++;
                chunk = ((index == 0 ? "" : ",") + "{\"n\":" + index + ",\"f\":" + index + "E-2,\"s\":\"value \\u00e9 " + PADDING + "\"}").getBytes(US_ASCII);
            }
            position = 0;
            return true;
        }
    }

    private static final class CountingSink
            extends OutputStream
    {
        long count;
        byte last;
        boolean closed;

        @Override
        public void write(int b)
        {
            count++;
            last = (byte) b;
        }

        @Override
        public void write(byte[] buffer, int offset, int length)
        {
            count += length;
            if (length > 0) {
                last = buffer[offset + length - 1];
            }
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }
}
