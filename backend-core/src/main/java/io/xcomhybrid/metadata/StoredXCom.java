package io.xcomhybrid.metadata;

import io.xcomhybrid.XComKey;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One row of the XCom table.
 *
 * @param value what the row's {@code value} column holds, as Airflow 2 bytes: UTF-8 JSON text of the value, or of a
 *        reference string for values kept in object storage
 * @param timestamp when the row was written (UTC)
 */
public record StoredXCom(XComKey key, byte[] value, Instant timestamp)
{
    public StoredXCom
    {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        requireNonNull(timestamp, "timestamp is null");
    }

    @Override
    public String toString()
    {
        return "StoredXCom{" + key + ", " + value.length + " bytes, " + timestamp + "}";
    }
}
