package io.xcomhybrid.compress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Lets an encoder "close" its target without closing the sink: the sink is closed only after the encoder succeeded. */
final class CloseShieldOutputStream
        extends FilterOutputStream
{
    CloseShieldOutputStream(OutputStream out)
    {
        super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length)
            throws IOException
    {
        out.write(bytes, offset, length);
    }

    @Override
    public void close()
            throws IOException
    {
        out.flush();
    }
}
