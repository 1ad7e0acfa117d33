package io.xcomhybrid.store;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** One object found by {@link ObjectStore#list}. */
public record ObjectEntry(Location location, long size, Instant lastModified)
{
    public ObjectEntry
    {
        requireNonNull(location, "location is null");
        requireNonNull(lastModified, "lastModified is null");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }
}
