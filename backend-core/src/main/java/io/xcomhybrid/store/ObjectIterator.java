package io.xcomhybrid.store;

import java.io.IOException;

/** Iterator over a listing that may fetch further pages, so both calls can fail with an I/O error. */
public interface ObjectIterator
{
    boolean hasNext()
            throws IOException;

    ObjectEntry next()
            throws IOException;
}
