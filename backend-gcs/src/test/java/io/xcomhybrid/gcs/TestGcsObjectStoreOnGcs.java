package io.xcomhybrid.gcs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The contract on Google Cloud Storage itself, where someone provides a bucket: {@code XCOM_TEST_GCS_BUCKET} (an
 * existing bucket; only a unique prefix in it is written and cleaned up) and optionally
 * {@code XCOM_TEST_GCS_KEY_PATH} (a service-account key file; without it, Application Default Credentials).
 * Reported as skipped where neither is set, which is everywhere in CI.
 */
@EnabledIfEnvironmentVariable(named = "XCOM_TEST_GCS_BUCKET", matches = ".+")
class TestGcsObjectStoreOnGcs
        extends AbstractTestGcsObjectStore
{
    private static final Optional<String> KEY_PATH = Optional.ofNullable(System.getenv("XCOM_TEST_GCS_KEY_PATH")).filter(path -> !path.isBlank());

    @Override
    protected Storage createClient()
    {
        try {
            GoogleCredentials credentials;
            if (KEY_PATH.isPresent()) {
                try (InputStream in = Files.newInputStream(Path.of(KEY_PATH.get()))) {
                    credentials = GoogleCredentials.fromStream(in);
                }
            }
            else {
                credentials = GoogleCredentials.getApplicationDefault();
            }
            return StorageOptions.http().setCredentials(credentials).build().getService();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected String connectionExtra()
    {
        try {
            return new ObjectMapper().writeValueAsString(KEY_PATH.map(path -> Map.of("key_path", path)).orElse(Map.of()));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String provisionBucket(Storage client)
    {
        return System.getenv("XCOM_TEST_GCS_BUCKET");
    }

    @Override
    protected boolean deleteBucketAfterwards()
    {
        return false;
    }
}
