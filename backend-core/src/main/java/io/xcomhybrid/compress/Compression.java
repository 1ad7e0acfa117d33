package io.xcomhybrid.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A compression format named as fsspec names it ({@code gzip}, {@code bz2}, ...) with the object-name suffix
 * Airflow appends ({@code .gz}, {@code .bz2}, ...). Readers choose the format by suffix alone, as Airflow's
 * {@code compression="infer"} does; nothing sniffs the content.
 *
 * <p>Both directions stream with bounded memory whatever the size of the value. Only the decompressed bytes are
 * compatible with Airflow's: the compressed bytes differ from what Python writes (levels, headers, timestamps),
 * and each format's reader accepts what Python's writer produces.
 *
 * <p>Implementations are immutable and thread-safe; each call returns a new stream.
 */
public interface Compression
{
    /** The fsspec name used in {@code [common.io] xcom_objectstorage_compression}. */
    String name();

    /** The suffix including its dot, or {@code ""} for no compression. */
    String suffix();

    /**
     * Wraps {@code out}. Writes are buffered, so small writes are cheap. Closing the returned stream finishes the
     * format and then closes {@code out}; closing it again does nothing. If finishing the format fails, the
     * exception propagates and {@code out} is left open, so that the caller can discard a partial object
     * (for example with {@code ObjectSink.abort()}) instead of committing it. Exceptions thrown by {@code out}
     * propagate unchanged.
     */
    OutputStream compress(OutputStream out)
            throws IOException;

    /**
     * Wraps {@code in}. No byte is read before the first read of the returned stream, so a malformed header
     * surfaces there. Data that is not valid for this format (bad magic, checksum mismatch, truncation) fails with
     * {@link InvalidCompressedDataException}; exceptions thrown by {@code in} propagate unchanged. Closing the
     * returned stream closes {@code in}.
     */
    InputStream decompress(InputStream in)
            throws IOException;

    /**
     * This format compressed in blocks on up to {@code parallelism} tasks of {@code executor} at a time, with output
     * that {@link #decompress} (and Python's reader of the format) reads; empty when the format has none, and the
     * caller then compresses on one thread. The executor is shared by every stream of the returned codec and is
     * never shut down by it.
     */
    default Optional<Compression> parallel(Executor executor, int parallelism)
    {
        return Optional.empty();
    }
}
