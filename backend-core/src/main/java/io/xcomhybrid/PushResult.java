package io.xcomhybrid;

import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.store.Location;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a pushed value went.
 *
 * @param size UTF-8 bytes of the value's JSON text (the size the threshold compared)
 * @param location the object holding the value when {@code placement} is {@link Placement#OBJECT}
 */
public record PushResult(XComKey key, Placement placement, long size, Optional<Location> location)
{
    public PushResult
    {
        requireNonNull(key, "key is null");
        requireNonNull(placement, "placement is null");
        requireNonNull(location, "location is null");
    }
}
