package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.MetadataStores;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.metadata.jdbc.JdbcMetadataStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPostgresStandaloneMetadataStore
        extends AbstractPostgresMetadataStoreTest
{
    TestPostgresStandaloneMetadataStore()
    {
        super(SchemaMode.STANDALONE);
    }

    @BeforeAll
    void setUp()
    {
        openStores();
    }

    @Test
    void newerSchemaVersionIsRefusedWithoutWriting()
            throws SQLException
    {
        String fresh = endpoint.createSchema("future");
        try (MetadataStore first = PostgresStores.create(endpoint, fresh, SchemaMode.STANDALONE)) {
            first.list(XComFilter.ALL);
        }
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE " + fresh + "." + JdbcMetadataStore.VERSION_TABLE + " SET version = 42 WHERE table_name = 'xcom'")).isEqualTo(1);
        }
        XComKey key = XComKey.of(newDagId(), "run", "task");
        try (MetadataStore later = PostgresStores.create(endpoint, fresh, SchemaMode.STANDALONE)) {
            assertThatThrownBy(() -> later.put(key, json("1")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining(key.toString())
                    .hasMessageContaining("schema version 42, newer than version 1")
                    .hasMessageContaining("upgrade xcom-hybrid");
            assertThatThrownBy(() -> later.get(key)).isInstanceOf(MetadataStoreException.class);
        }
        try (Connection connection = endpoint.connect();
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM " + fresh + ".xcom")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getInt(1)).isZero();
        }
    }

    /** Stores with pools of their own, like processes starting at once, race to create the table. */
    @Test
    void concurrentFirstUseCreatesTheTableOnce()
            throws Exception
    {
        String fresh = endpoint.createSchema("race");
        int stores = 6;
        List<MetadataStore> opened = new ArrayList<>();
        for (int i = 0; i < stores; i++) {
            opened.add(PostgresStores.create(endpoint, fresh, SchemaMode.STANDALONE));
        }
        ExecutorService executor = Executors.newFixedThreadPool(stores);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < stores; i++) {
                MetadataStore racer = opened.get(i);
                XComKey key = XComKey.of("race", "run", "task_" + i);
                futures.add(executor.submit(() -> {
                    start.await();
                    racer.put(key, json("1"));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            executor.shutdownNow();
            opened.forEach(MetadataStore::close);
        }
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet resultSet = statement.executeQuery("SELECT table_name, version FROM " + fresh + "." + JdbcMetadataStore.VERSION_TABLE)) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getString(1)).isEqualTo("xcom");
                assertThat(resultSet.getInt(2)).isEqualTo(1);
                assertThat(resultSet.next()).isFalse();
            }
            try (ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM " + fresh + ".xcom")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getInt(1)).isEqualTo(stores);
            }
        }
    }

    @Test
    void wrongPasswordFailsWithoutShowingIt()
    {
        String wrong = "wrong-S3cret-" + System.nanoTime();
        String url = endpoint.sqlAlchemyUrl().replaceFirst(":[^:@/]*@", ":" + wrong + "@");
        try (MetadataStore bad = MetadataStores.create(AirflowConfig.of(Map.of(
                "database", Map.of("sql_alchemy_conn", url, "sql_alchemy_schema", schema),
                "xcom_hybrid", Map.of("metadata_connection_timeout", "3s")), Map.of()))) {
            assertThat(bad.describe()).doesNotContain(wrong).contains("****");
            assertThatThrownBy(bad::check)
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("authentication failed")
                    .satisfies(e -> assertThat(stackTraceText(e)).doesNotContain(wrong));
        }
    }

    @Test
    void unreachableServerFailsWithinTheConnectionTimeout()
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        // port 1 on loopback refuses connections
        try (MetadataStore down = MetadataStores.create(AirflowConfig.of(Map.of(
                "database", Map.of("sql_alchemy_conn", "postgresql://xcom:secret-pw@127.0.0.1:1/xcom_test"),
                "xcom_hybrid", Map.of("metadata_connection_timeout", "2s")), Map.of()))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> down.put(key, json("1")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining(key.toString())
                    .hasMessageContaining("127.0.0.1:1/xcom_test")
                    .hasMessageContaining("no database connection within 2000ms")
                    .satisfies(e -> assertThat(stackTraceText(e)).doesNotContain("secret-pw"));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        }
    }

    @Test
    void describeNamesDatabaseSchemaAndMode()
    {
        assertThat(store().describe())
                .startsWith("PostgreSQL postgresql+psycopg2://xcom:****@")
                .contains("schema " + schema)
                .contains("schema_mode standalone")
                .doesNotContain(endpoint.password());
    }

    @Test
    void missingSchemaIsNamed()
    {
        try (MetadataStore missing = PostgresStores.create(endpoint, "no_such_schema", SchemaMode.STANDALONE)) {
            assertThatThrownBy(() -> missing.list(XComFilter.ALL))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("schema no_such_schema ([database] sql_alchemy_schema) does not exist");
        }
    }

    static String stackTraceText(Throwable e)
    {
        java.io.StringWriter writer = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(writer));
        return writer.toString();
    }
}
