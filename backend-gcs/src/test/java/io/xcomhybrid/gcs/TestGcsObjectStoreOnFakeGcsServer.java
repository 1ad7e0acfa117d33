package io.xcomhybrid.gcs;

import com.google.cloud.storage.Storage;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The contract on fake-gcs-server, found by the shared fixture: environment, then Docker, then the native binary. */
class TestGcsObjectStoreOnFakeGcsServer
        extends AbstractTestGcsObjectStore
{
    private FakeGcsServerFixture.Endpoint endpoint;

    @Override
    protected Storage createClient()
    {
        endpoint = FakeGcsServerFixture.INSTANCE.endpoint();
        return endpoint.client();
    }

    @Override
    protected String connectionExtra()
    {
        return "{\"gcs.endpoint\": \"" + endpoint.url() + "\", \"project\": \"" + endpoint.project() + "\"}";
    }

    @Override
    protected Optional<String> emulatorUrl()
    {
        return Optional.of(endpoint.url());
    }

    @Test
    void deleteAllStopsAfterFailedBatchesAndSaysWhatWasNotAttempted()
            throws IOException
    {
        // nothing listens on port 1 (the kernel never hands it out, and only root may bind it): every batch request is
        // refused at once, without retries
        int port = 1;
        AirflowConfig config = AirflowConfig.of(
                Map.of(GcsStoreConfig.SECTION, Map.of(GcsStoreConfig.RETRIES, "0")),
                Map.of("AIRFLOW_CONN_DEAD", "{\"conn_type\": \"google_cloud_platform\", \"extra\": {\"gcs.endpoint\": \"http://127.0.0.1:" + port
                        + "\", \"project\": \"" + endpoint.project() + "\"}}"));
        List<Location> locations = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            locations.add(Location.parse("gs://dead@bucket/many/" + i));
        }
        try (ObjectStore dead = new GcsObjectStoreFactory().create("gs", Optional.of("dead"), config.connection("dead"), config)) {
            // ten batches; each of the at most four workers stops after its failing batch, so at least six are never sent
            IOException failure = (IOException) catchThrowable(() -> dead.deleteAll(locations));
            assertThat(failure).isNotNull().hasMessageContaining("gs://dead@bucket/many/");
            Matcher message = Pattern.compile("Failed to delete (\\d+) of 1000 objects \\((\\d+) not attempted after the failure\\); first: .*", Pattern.DOTALL)
                    .matcher(failure.getMessage());
            assertThat(message.matches()).as(failure.getMessage()).isTrue();
            int failed = Integer.parseInt(message.group(1));
            int notAttempted = Integer.parseInt(message.group(2));
            assertThat(notAttempted).isBetween(600, 900);
            assertThat(notAttempted % 100).isZero();
            // every batch sent failed whole
            assertThat(failed).isEqualTo(1000 - notAttempted);
            assertThat(failure.getSuppressed())
                    .isNotEmpty()
                    .allSatisfy(suppressed -> assertThat(suppressed).hasMessageContaining("gs://dead@bucket/many/"));
        }
    }
}
