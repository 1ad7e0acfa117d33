package io.xcomhybrid.backend;

import io.xcomhybrid.json.XComJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * A value to push, as a source of its JSON text in Python's {@code json.dumps} form. The text is produced while it
 * is written, so a large value streams from serializer to compressor to storage without being held in memory.
 */
public interface XComPayload
{
    /** Writes the value's JSON text; {@code out} is left open. */
    void writeTo(OutputStream out)
            throws IOException;

    /**
     * {@link #writeTo}, letting up to {@code helpers} tasks on {@code executor} encode parts of a Java value (see
     * {@link XComJson#write(Object, OutputStream, Executor, int)}: the same bytes). JSON text is copied on the calling
     * thread alone, which is what this default does.
     */
    default void writeTo(OutputStream out, Executor executor, int helpers)
            throws IOException
    {
        writeTo(out);
    }

    /**
     * Whether {@link #writeTo} may be called again (to retry an upload under a new name). Values and files can be
     * replayed; a one-shot stream cannot.
     */
    boolean replayable();

    /**
     * The Java value, when the payload is one (not JSON text): backends that store a form other than the JSON text
     * (Airflow 3's serde structure) encode it from the value, since text loses nested tuples.
     */
    default Optional<Object> value()
    {
        return Optional.empty();
    }

    /** A Java value encoded with the codec. */
    static XComPayload ofValue(Object value, XComJson json)
    {
        requireNonNull(json, "json is null");
        return new XComPayload()
        {
            @Override
            public void writeTo(OutputStream out)
                    throws IOException
            {
                json.write(value, out);
            }

            @Override
            public void writeTo(OutputStream out, Executor executor, int helpers)
                    throws IOException
            {
                json.write(value, out, executor, helpers);
            }

            @Override
            public boolean replayable()
            {
                return true;
            }

            @Override
            public Optional<Object> value()
            {
                return Optional.ofNullable(value);
            }
        };
    }

    /**
     * JSON text read once from {@code in}, re-encoded in Python's form token by token (so {@code {"a":1}} is
     * stored as {@code {"a": 1}}, exactly as a Python task would have written it).
     */
    static XComPayload ofJsonStream(InputStream in, XComJson json)
    {
        requireNonNull(in, "in is null");
        requireNonNull(json, "json is null");
        return new XComPayload()
        {
            private boolean consumed;

            @Override
            public void writeTo(OutputStream out)
                    throws IOException
            {
                if (consumed) {
                    throw new IllegalStateException("JSON stream payload was already consumed");
                }
                consumed = true;
                json.transcode(in, out);
            }

            @Override
            public boolean replayable()
            {
                return false;
            }
        };
    }

    /** JSON text read from a file, re-encoded in Python's form. */
    static XComPayload ofJsonFile(Path file, XComJson json)
    {
        requireNonNull(file, "file is null");
        return ofJsonSource(() -> Files.newInputStream(file), file.toString(), json);
    }

    /** Opens a stream of JSON text; called once per (re)play. */
    interface JsonSource
    {
        InputStream open()
                throws IOException;
    }

    /**
     * JSON text from a source that can be opened again (a file, a blob), re-encoded in Python's form.
     *
     * @param description names the source in error messages
     */
    static XComPayload ofJsonSource(JsonSource source, String description, XComJson json)
    {
        requireNonNull(source, "source is null");
        requireNonNull(json, "json is null");
        return new XComPayload()
        {
            @Override
            public void writeTo(OutputStream out)
                    throws IOException
            {
                try (InputStream in = source.open()) {
                    json.transcode(in, out);
                }
                catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    // invalid JSON is the caller's input error, not an I/O failure: keep its type
                    throw e;
                }
                catch (IOException e) {
                    throw new IOException("Cannot read JSON from " + description + ": " + e.getMessage(), e);
                }
            }

            @Override
            public boolean replayable()
            {
                return true;
            }
        };
    }
}
