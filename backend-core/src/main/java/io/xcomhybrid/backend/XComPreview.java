package io.xcomhybrid.backend;

import io.xcomhybrid.store.Location;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A light view of a row for listings, built without reading any object (Airflow's {@code orm_deserialize_value}).
 *
 * @param text the value's JSON text for inline values (possibly truncated), or the reference string
 * @param storedSize bytes of the row's value column
 */
public record XComPreview(Placement placement, String text, long storedSize, Optional<Location> location)
{
    public XComPreview
    {
        requireNonNull(placement, "placement is null");
        requireNonNull(text, "text is null");
        requireNonNull(location, "location is null");
    }
}
