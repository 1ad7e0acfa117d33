package io.xcomhybrid.benchmarks;

import io.xcomhybrid.json.XComJson;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON text of {@code Values.ofJsonSize(targetBytes)} in Python's {@code json.dumps} form, byte for byte, made
 * row by row as it is read: a value of any size streams through a heap of a few KiB (a 1 GiB value cannot be held
 * in a 256 MiB heap, but its text can be pushed).
 */
public final class RowJsonStream
        extends InputStream
{
    private static final byte[] HEAD = "{\"source\": \"benchmark\", \"rows\": [".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEPARATOR = ", ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

    private final XComJson json = XComJson.standard();
    private final Iterator<Map<String, Object>> rows;
    private byte[] chunk = HEAD;
    private int offset;
    private boolean first = true;
    private boolean ended;

    public RowJsonStream(long targetBytes)
    {
        this.rows = Values.rows(targetBytes);
    }

    @Override
    public int read()
    {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int off, int len)
    {
        if (len == 0) {
            return 0;
        }
        int written = 0;
        while (written < len) {
            if (offset == chunk.length && !advance()) {
                break;
            }
            int n = Math.min(len - written, chunk.length - offset);
            System.arraycopy(chunk, offset, buffer, off + written, n);
            offset += n;
            written += n;
        }
        return written == 0 ? -1 : written;
    }

    private boolean advance()
    {
        if (ended) {
            return false;
        }
        if (rows.hasNext()) {
            byte[] row = json.toBytes(rows.next());
            if (first) {
                chunk = row;
                first = false;
            }
            else {
                chunk = new byte[SEPARATOR.length + row.length];
                System.arraycopy(SEPARATOR, 0, chunk, 0, SEPARATOR.length);
                System.arraycopy(row, 0, chunk, SEPARATOR.length, row.length);
            }
        }
        else {
            chunk = TAIL;
            ended = true;
        }
        offset = 0;
        return true;
    }
}
