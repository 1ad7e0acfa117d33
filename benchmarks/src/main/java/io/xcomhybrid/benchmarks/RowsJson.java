package io.xcomhybrid.benchmarks;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The JSON text of {@link Values#ofJsonSize}, byte for byte as Python's {@code json.dumps} writes it, generated
 * row by row as it is read: a value of any size without holding it in memory.
 */
public final class RowsJson
        extends InputStream
{
    private static final byte[] HEAD = "{\"source\": \"benchmark\", \"rows\": [".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
    // Python's json.dumps escapes non-ASCII (ensure_ascii=True)
    private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1", "sa-east-1", "Z\\u00fcrich"};

    private final SplittableRandom random = new SplittableRandom(42);
    private final int rows;
    private final StringBuilder text = new StringBuilder(64 * 1024);
    private byte[] buffer = HEAD;
    private int position;
    private int nextRow;
    private boolean tailSent;
    private long count;

    /** The same rows as {@code Values.ofJsonSize(targetBytes)}. */
    public RowsJson(long targetBytes)
    {
        this.rows = Values.rowCount(targetBytes);
    }

    /** Bytes read so far. */
    public long count()
    {
        return count;
    }

    @Override
    public int read()
    {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length)
    {
        if (length == 0) {
            return 0;
        }
        while (position == buffer.length) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(length, buffer.length - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        count += n;
        return n;
    }

    private boolean fill()
    {
        position = 0;
        if (nextRow == rows) {
            if (tailSent) {
                buffer = new byte[0];
                return false;
            }
            tailSent = true;
            buffer = TAIL;
            return true;
        }
        text.setLength(0);
        while (nextRow < rows && text.length() < 60 * 1024) {
            if (nextRow > 0) {
                text.append(", ");
            }
            appendRow(nextRow++);
        }
        buffer = text.toString().getBytes(StandardCharsets.US_ASCII);
        return true;
    }

    /** The draws happen in the order {@link Values} makes them. */
    private void appendRow(int id)
    {
        String name = Long.toHexString(random.nextLong());
        long cents = Math.round(random.nextDouble() * 1_000_000);
        boolean active = random.nextBoolean();
        String region = REGIONS[random.nextInt(REGIONS.length)];
        int tag1 = random.nextInt(100);
        int tag2 = random.nextInt(100);
        boolean noNote = random.nextInt(4) == 0;
        text.append("{\"id\": ").append(id)
                .append(", \"name\": \"customer-").append(name)
                .append("\", \"amount\": ");
        // cents / 100.0 in Python's shortest repr: at most two decimals, at least one
        text.append(cents / 100).append('.');
        long fraction = cents % 100;
        if (fraction == 0) {
            text.append('0');
        }
        else if (fraction % 10 == 0) {
            text.append(fraction / 10);
        }
        else {
            text.append(fraction < 10 ? "0" : "").append(fraction);
        }
        text.append(", \"active\": ").append(active ? "true" : "false")
                .append(", \"region\": \"").append(region)
                .append("\", \"tags\": [\"t").append(tag1).append("\", \"t").append(tag2)
                .append("\"], \"note\": ").append(noNote ? "null" : "\"ok\"")
                .append('}');
    }
}
