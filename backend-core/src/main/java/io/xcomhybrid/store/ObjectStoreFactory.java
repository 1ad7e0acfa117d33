package io.xcomhybrid.store;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.Connection;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Creates {@link ObjectStore}s for the URL schemes it serves. Found with {@link java.util.ServiceLoader}, so a
 * cloud module is enabled by putting its jar on the class path.
 */
public interface ObjectStoreFactory
{
    /** Lower-case URL schemes served, e.g. {@code s3} or {@code gs, gcs}. */
    Set<String> schemes();

    /**
     * Creates a store for one scheme and connection.
     *
     * @param scheme one of {@link #schemes()}
     * @param connId the conn_id written in the location, if any
     * @param connection that connection as resolved from {@code AIRFLOW_CONN_<ID>}; empty when there is no conn_id
     *        or no such connection (the factory decides whether that is an error or means default credentials)
     * @param config the whole configuration, for store options
     */
    ObjectStore create(String scheme, Optional<String> connId, Optional<Connection> connection, AirflowConfig config)
            throws IOException;
}
