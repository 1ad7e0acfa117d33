package io.xcomhybrid.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffers a value's JSON text while it is smaller than the threshold, and spills to an object stream once it
 * reaches it, so at most {@code threshold} bytes are ever held. Airflow's rule: database when
 * {@code threshold < 0 || size < threshold}, object otherwise; a negative threshold never spills.
 * Counts the bytes on the way through; what the spilled bytes go through (digest, codec, store) is the spill's.
 */
final class ThresholdOutputStream
        extends OutputStream
{
    /** Opens the object stream the first time the value reaches the threshold. */
    interface Spill
    {
        OutputStream open()
                throws IOException;
    }

    private final long threshold;
    private final Spill spill;
    private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private OutputStream spilled;
    private long size;

    ThresholdOutputStream(long threshold, Spill spill)
    {
        this.threshold = threshold;
        this.spill = spill;
    }

    @Override
    public void write(int b)
            throws IOException
    {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        if (length == 0) {
            return;
        }
        size += length;
        if (spilled == null && threshold >= 0 && size >= threshold) {
            spillBuffer();
        }
        if (spilled != null) {
            spilled.write(bytes, offset, length);
        }
        else {
            buffer.write(bytes, offset, length);
        }
    }

    private void spillBuffer()
            throws IOException
    {
        spilled = spill.open();
        buffer.writeTo(spilled);
        buffer = null;
    }

    /** Call once the whole value is written: spills a value whose size reaches the threshold only at the end (e.g. 0). */
    void finish()
            throws IOException
    {
        if (spilled == null && threshold >= 0 && size >= threshold) {
            spillBuffer();
        }
    }

    boolean spilled()
    {
        return spilled != null;
    }

    /** The buffered text when the value stayed under the threshold. */
    byte[] bufferedBytes()
    {
        if (spilled != null) {
            throw new IllegalStateException("value was spilled to an object");
        }
        return buffer.toByteArray();
    }

    long size()
    {
        return size;
    }
}
