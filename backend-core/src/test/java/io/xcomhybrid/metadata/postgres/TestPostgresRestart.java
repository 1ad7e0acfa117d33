package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.testing.PostgresFixture;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server goes away in the middle of a run: operations fail fast with errors naming the database, and the pool
 * recovers by itself once the server is back. Uses a private native server, so stopping it cannot disturb other tests.
 */
class TestPostgresRestart
{
    @Test
    void operationsFailClearlyWhileDownAndRecoverAfterRestart()
            throws InterruptedException
    {
        PostgresFixture.Endpoint endpoint = PostgresFixture.startPrivateNative();
        String schema = endpoint.createSchema("restart");
        byte[] value = "\"before\"".getBytes(StandardCharsets.UTF_8);
        XComKey key = XComKey.of("dag", "run", "task");
        try (MetadataStore store = PostgresStores.create(endpoint, schema, SchemaMode.STANDALONE,
                Map.of("metadata_connection_timeout", "2s", "metadata_pool_size", "3"))) {
            for (int i = 0; i < 10; i++) {
                store.put(key.withMapIndex(i), value);
            }

            endpoint.stopServer();
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> store.put(key, value))
                        .isInstanceOf(MetadataStoreException.class)
                        .hasMessageContaining("Failed to put " + key)
                        .hasMessageContaining("schema " + schema)
                        .hasMessageNotContaining(endpoint.password())
                        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(
                                "no database connection within 2000ms", "lost the database connection", "shutting down or restarting"));
            }
            assertThatThrownBy(() -> store.get(key))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("Failed to get " + key);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));

            endpoint.startServer();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int failuresAfterRestart = 0;
            while (true) {
                try {
                    store.check();
                    break;
                }
                catch (MetadataStoreException e) {
                    failuresAfterRestart++;
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the pool did not recover within 30s of the restart", e);
                    }
                    Thread.sleep(200);
                }
            }
            // stale connections are replaced: a burst larger than the pool succeeds without another failure
            for (int i = 0; i < 20; i++) {
                assertThat(store.get(key.withMapIndex(i % 10))).map(StoredXCom::value).contains(value);
                store.put(key.withMapIndex(i % 10), value);
            }
            assertThat(failuresAfterRestart).isLessThan(150);
        }
    }
}
