package io.xcomhybrid.store;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** An open object: its bytes as they are stored (still compressed) and the user metadata stored with it. */
public class ObjectSource
        extends FilterInputStream
{
    private final Location location;
    private final Map<String, String> metadata;

    public ObjectSource(Location location, InputStream in, Map<String, String> metadata)
    {
        super(requireNonNull(in, "in is null"));
        this.location = requireNonNull(location, "location is null");
        this.metadata = Map.copyOf(metadata);
    }

    public Location location()
    {
        return location;
    }

    /** User metadata stored with the object (empty when the store keeps none). */
    public Map<String, String> metadata()
    {
        return metadata;
    }
}
