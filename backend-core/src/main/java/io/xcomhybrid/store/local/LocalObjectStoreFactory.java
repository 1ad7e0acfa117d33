package io.xcomhybrid.store.local;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.Connection;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStoreFactory;

import java.util.Optional;
import java.util.Set;

/**
 * Serves {@code file://} and {@code local://} locations; connections do not apply to local files.
 * {@code [xcom_hybrid] local_fsync} (boolean, default true) says whether objects are forced to disk before their row
 * is committed (see {@link LocalObjectStore}).
 */
public final class LocalObjectStoreFactory
        implements ObjectStoreFactory
{
    public static final String SECTION = "xcom_hybrid";
    public static final String LOCAL_FSYNC = "local_fsync";

    @Override
    public Set<String> schemes()
    {
        return Set.of("file", "local");
    }

    @Override
    public ObjectStore create(String scheme, Optional<String> connId, Optional<Connection> connection, AirflowConfig config)
    {
        return new LocalObjectStore(config.getBoolean(SECTION, LOCAL_FSYNC, true));
    }
}
