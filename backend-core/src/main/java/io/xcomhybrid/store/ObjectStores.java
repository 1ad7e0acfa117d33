package io.xcomhybrid.store;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the {@link ObjectStoreFactory} for a location's scheme through {@link ServiceLoader} and keeps one
 * {@link ObjectStore} per (scheme, conn_id), created on first use and closed once with this registry.
 */
public final class ObjectStores
        implements Closeable
{
    private final AirflowConfig config;
    private final Map<String, ObjectStoreFactory> factories;
    private final Map<String, ObjectStore> stores = new LinkedHashMap<>();
    private boolean closed;

    public ObjectStores(AirflowConfig config)
    {
        this(config, ServiceLoader.load(ObjectStoreFactory.class, ObjectStores.class.getClassLoader()));
    }

    public ObjectStores(AirflowConfig config, Iterable<ObjectStoreFactory> factories)
    {
        this.config = config;
        Map<String, ObjectStoreFactory> byScheme = new LinkedHashMap<>();
        for (ObjectStoreFactory factory : factories) {
            for (String scheme : factory.schemes()) {
                byScheme.putIfAbsent(scheme, factory);
            }
        }
        this.factories = byScheme;
    }

    /** The schemes some factory on the class path serves. */
    public List<String> schemes()
    {
        return new ArrayList<>(new TreeSet<>(factories.keySet()));
    }

    /**
     * The store for {@code location}'s scheme and conn_id.
     *
     * @throws ConfigException if no module on the class path serves the scheme
     */
    public synchronized ObjectStore forLocation(Location location)
            throws IOException
    {
        if (closed) {
            throw new IllegalStateException("ObjectStores is closed");
        }
        String id = location.scheme() + "://" + location.connId().orElse("");
        ObjectStore store = stores.get(id);
        if (store == null) {
            ObjectStoreFactory factory = factories.get(location.scheme());
            if (factory == null) {
                throw new ConfigException("No object store for scheme '" + location.scheme() + "' in " + location.withoutConnId()
                        + "; available: " + schemes() + " (add the backend-s3 or backend-gcs jar to the class path)");
            }
            Optional<String> connId = location.connId();
            store = factory.create(location.scheme(), connId, connId.flatMap(config::connection), config);
            stores.put(id, store);
        }
        return store;
    }

    @Override
    public synchronized void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (ObjectStore store : stores.values()) {
            try {
                store.close();
            }
            catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = new IOException("Failed to close object stores");
                }
                failure.addSuppressed(e);
            }
        }
        stores.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
