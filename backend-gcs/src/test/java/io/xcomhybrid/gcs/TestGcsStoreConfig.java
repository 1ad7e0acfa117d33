package io.xcomhybrid.gcs;

import com.google.cloud.storage.StorageException;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.store.Location;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestGcsStoreConfig
{
    @Test
    void defaults()
    {
        GcsStoreConfig config = GcsStoreConfig.from(AirflowConfig.of(Map.of(), Map.of()));
        assertThat(config).isEqualTo(GcsStoreConfig.defaults());
        assertThat(config.chunkSize()).isEqualTo(16 * 1024 * 1024);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.retries()).isEqualTo(5);
    }

    @Test
    void readsEnvironmentOverrides()
    {
        GcsStoreConfig config = GcsStoreConfig.from(AirflowConfig.of(Map.of(), Map.of(
                "AIRFLOW__XCOM_HYBRID__GCS_CHUNK_SIZE", "8388608",
                "AIRFLOW__XCOM_HYBRID__GCS_REQUEST_TIMEOUT", "2m",
                "AIRFLOW__XCOM_HYBRID__GCS_RETRIES", "0")));
        assertThat(config).isEqualTo(new GcsStoreConfig(8 * 1024 * 1024, Duration.ofMinutes(2), 0));
    }

    @Test
    void invalidValuesNameTheSetting()
    {
        assertThatThrownBy(() -> GcsStoreConfig.from(AirflowConfig.of(Map.of(), Map.of("AIRFLOW__XCOM_HYBRID__GCS_CHUNK_SIZE", "1000000"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[xcom_hybrid] gcs_chunk_size (env AIRFLOW__XCOM_HYBRID__GCS_CHUNK_SIZE)")
                .hasMessageContaining("256 KiB");
        assertThatThrownBy(() -> GcsStoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("gcs_retries", "-1")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gcs_retries");
        assertThatThrownBy(() -> GcsStoreConfig.from(AirflowConfig.of(Map.of("xcom_hybrid", Map.of("gcs_request_timeout", "soon")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gcs_request_timeout");
    }

    @Test
    void errorTranslationNamesLocationAndPrincipal()
    {
        // Pure mapping of HTTP status to exception type: an emulator cannot refuse permission.
        Location location = Location.parse("gs://gcs_conn@bucket/dag/run/task/x.json.gz");
        String principal = "connection 'gcs_conn', service account writer@p.iam.gserviceaccount.com from keyfile_dict";
        IOException denied = GcsObjectStore.translate(new StorageException(403, "writer@p.iam.gserviceaccount.com does not have storage.objects.get access"),
                location, "open", principal);
        assertThat(denied).isNotInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("Permission denied (HTTP 403)")
                .hasMessageContaining(location.toString())
                .hasMessageContaining(principal)
                .hasCauseInstanceOf(StorageException.class);
        assertThat(GcsObjectStore.translate(new StorageException(401, "Unauthorized"), location, "open", principal))
                .hasMessageContaining("Permission denied (HTTP 401)");
        assertThat(GcsObjectStore.translate(new StorageException(404, "No such object"), location, "open", principal))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining(location.toString());
        assertThat(GcsObjectStore.translate(new StorageException(412, "conditionNotMet"), location, "create", principal))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(location.toString());
        assertThat(GcsObjectStore.translate(new StorageException(503, "Backend Error"), location, "read", principal))
                .hasMessageContaining("Failed to read " + location + " (HTTP 503)");
    }
}
