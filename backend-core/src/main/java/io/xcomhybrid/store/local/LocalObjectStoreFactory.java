package io.xcomhybrid.store.local;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.Connection;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStoreFactory;

import java.util.Optional;
import java.util.Set;

/** Serves {@code file://} and {@code local://} locations; connections do not apply to local files. */
public final class LocalObjectStoreFactory
        implements ObjectStoreFactory
{
    @Override
    public Set<String> schemes()
    {
        return Set.of("file", "local");
    }

    @Override
    public ObjectStore create(String scheme, Optional<String> connId, Optional<Connection> connection, AirflowConfig config)
    {
        return new LocalObjectStore();
    }
}
