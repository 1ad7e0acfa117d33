package io.xcomhybrid.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A compression format named as fsspec names it ({@code gzip}, {@code bz2}, ...) with the object-name suffix
 * Airflow appends ({@code .gz}, {@code .bz2}, ...). Readers choose the format by suffix alone, as Airflow's
 * {@code compression="infer"} does.
 */
public interface Compression
{
    /** The fsspec name used in {@code [common.io] xcom_objectstorage_compression}. */
    String name();

    /** The suffix including its dot, or {@code ""} for no compression. */
    String suffix();

    /**
     * Wraps {@code out}; closing the returned stream finishes the format and closes {@code out}.
     */
    OutputStream compress(OutputStream out)
            throws IOException;

    /** Wraps {@code in}; closing the returned stream closes {@code in}. */
    InputStream decompress(InputStream in)
            throws IOException;
}
