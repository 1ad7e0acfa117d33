package io.xcomhybrid.backend;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.store.Location;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * How values become rows and back: the Java side of Airflow's {@code BaseXCom} hooks ({@code serialize_value},
 * {@code deserialize_value}, {@code orm_deserialize_value}, {@code purge}). The backend never touches the metadata
 * database; {@link io.xcomhybrid.XComs} orders backend and database calls (object first, then row; row first, then
 * purge).
 *
 * <p>Select one with {@code [core] xcom_backend}. A custom backend is a public class implementing this interface
 * with a public constructor taking an {@link XComBackendContext}, or a public no-argument constructor.
 * Implementations are thread safe.
 */
public interface XComBackend
        extends Closeable
{
    /**
     * Serializes a value for {@code key}, writing an object first if the value belongs in object storage.
     * If this method throws, nothing it created is left behind.
     */
    SerializedXCom serialize(XComKey key, XComPayload payload)
            throws IOException;

    /**
     * Opens the JSON text of the value a row holds or references, decompressed and streaming.
     *
     * @throws UnreadableXComException if a referenced object is missing or cannot be decoded
     */
    InputStream openJson(XComKey key, byte[] stored)
            throws IOException;

    /** A preview for listings; never reads an object. */
    XComPreview preview(XComKey key, byte[] stored);

    /** The object a stored value references, if it is a reference this backend owns. */
    Optional<Location> referencedLocation(byte[] stored);

    /** Deletes what a row references (if anything). Called after the row's deletion has committed. A missing object is fine. */
    void purge(XComKey key, byte[] stored)
            throws IOException;

    /** Purges many rows' objects; backends with batch deletes override this to send few requests. */
    default void purgeAll(List<StoredXCom> rows)
            throws IOException
    {
        IOException failure = null;
        for (StoredXCom row : rows) {
            try {
                purge(row.key(), row.value());
            }
            catch (IOException e) {
                if (failure == null) {
                    failure = new IOException("Failed to purge some objects; 'xcom gc' removes what is left");
                }
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The base location this backend writes objects under, if it writes objects at all (for gc and doctor). */
    default Optional<Location> baseLocation()
    {
        return Optional.empty();
    }

    /** Airflow's class path of the equivalent Python backend, or the Java class name. */
    String name();

    @Override
    default void close()
            throws IOException
    {
    }
}
