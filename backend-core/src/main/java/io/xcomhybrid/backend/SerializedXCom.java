package io.xcomhybrid.backend;

import io.xcomhybrid.store.Location;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Result of {@link XComBackend#serialize}: what the row stores, and where the value went.
 *
 * @param stored the row's value in Airflow 2's byte form (JSON text of the value, or of the reference string)
 * @param size UTF-8 bytes of the value's JSON text (what the threshold compares)
 * @param location the object written, for {@link Placement#OBJECT}
 */
public record SerializedXCom(byte[] stored, Placement placement, long size, Optional<Location> location)
{
    public SerializedXCom
    {
        requireNonNull(stored, "stored is null");
        requireNonNull(placement, "placement is null");
        requireNonNull(location, "location is null");
        if ((placement == Placement.OBJECT) != location.isPresent()) {
            throw new IllegalArgumentException("an object placement needs a location, a database placement none");
        }
    }
}
