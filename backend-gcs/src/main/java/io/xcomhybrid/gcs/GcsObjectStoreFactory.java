package io.xcomhybrid.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.ServiceOptions;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.BlobWriteSessionConfigs;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.Connection;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStoreFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Serves {@code gs://} and {@code gcs://} locations (Airflow registers both for its Google provider). Each store gets
 * its own {@link Storage} client, built from the location's connection (see {@link GcsConnection}) and the
 * {@code [xcom_hybrid] gcs_*} options (see {@link GcsStoreConfig}); the store closes it.
 */
public final class GcsObjectStoreFactory
        implements ObjectStoreFactory
{
    @Override
    public Set<String> schemes()
    {
        return Set.of("gs", "gcs");
    }

    @Override
    public ObjectStore create(String scheme, Optional<String> connId, Optional<Connection> connection, AirflowConfig config)
            throws IOException
    {
        GcsStoreConfig storeConfig = GcsStoreConfig.from(config);
        GcsConnection gcs = GcsConnection.resolve(connId, connection, config.environment());
        return new GcsObjectStore(createStorage(gcs, storeConfig), storeConfig, gcs.principal());
    }

    static Storage createStorage(GcsConnection connection, GcsStoreConfig config)
    {
        int timeoutMillis = Math.toIntExact(config.requestTimeout().toMillis());
        RetrySettings retrySettings = ServiceOptions.getDefaultRetrySettings().toBuilder()
                .setMaxAttempts(config.retries() + 1)
                .build();
        HttpStorageOptions.Builder options = StorageOptions.http()
                .setCredentials(connection.credentials())
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(timeoutMillis)
                        .setReadTimeout(timeoutMillis)
                        .build())
                .setRetrySettings(retrySettings)
                .setBlobWriteSessionConfig(BlobWriteSessionConfigs.getDefault().withChunkSize(config.chunkSize()));
        connection.endpoint().ifPresent(options::setHost);
        connection.projectId().ifPresent(options::setProjectId);
        return options.build().getService();
    }
}
