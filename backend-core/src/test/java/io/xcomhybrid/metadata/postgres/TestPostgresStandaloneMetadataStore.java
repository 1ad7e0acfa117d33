package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.MetadataStores;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.metadata.jdbc.JdbcMetadataStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        // the table is created on first use; the concurrent-write tests write to it with a connection of their own
        store().list(XComFilter.ALL.withDagId(newDagId()));
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

    /**
     * A put is one statement that takes no advisory lock; when another transaction changes the row it waits for, it
     * fails to serialize and the put takes the locked path, replacing (and handing back) what that transaction wrote.
     */
    @Test
    void putWaitingForAChangedRowTakesTheLockedPathAndHandsBackTheNewerRow()
            throws Exception
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        store().put(key, json("\"first\""));
        assertReplacedAfterConcurrentWrite(key, "UPDATE " + schema + ".xcom SET value = ?::bytea WHERE dag_id = ?", "\"first\"");
    }

    /** The same when the row did not exist and another transaction inserts it while the put waits. */
    @Test
    void putWaitingForAConcurrentInsertTakesTheLockedPathAndHandsBackTheInsertedRow()
            throws Exception
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        assertReplacedAfterConcurrentWrite(key, "INSERT INTO " + schema + ".xcom (dag_id, run_id, task_id, map_index, \"key\", value, \"timestamp\") "
                + "VALUES (?, 'run', 'task', -1, 'return_value', ?::bytea, now())", null);
    }

    private void assertReplacedAfterConcurrentWrite(XComKey key, String write, String lockedValue)
            throws Exception
    {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        // a session of its own: pg_stat_activity is a snapshot taken once per transaction
        try (Connection other = endpoint.connect(); Connection observer = endpoint.connect()) {
            other.setAutoCommit(false);
            int otherPid;
            try (Statement statement = other.createStatement(); ResultSet resultSet = statement.executeQuery("SELECT pg_backend_pid()")) {
                resultSet.next();
                otherPid = resultSet.getInt(1);
            }
            try (PreparedStatement statement = other.prepareStatement(lockedValue == null ? write
                    : "SELECT 1 FROM " + schema + ".xcom WHERE dag_id = ? FOR UPDATE")) {
                if (lockedValue == null) {
                    statement.setString(1, key.dagId());
                    statement.setString(2, "\"other\"");
                }
                else {
                    statement.setString(1, key.dagId());
                }
                statement.execute();
            }
            Future<Optional<StoredXCom>> put = executor.submit(() -> store().put(key, json("\"mine\"")));
            // the put waits for the other transaction, in its one statement and holding no advisory lock
            List<String> waiting = List.of();
            for (int i = 0; i < 600 && waiting.isEmpty(); i++) {
                waiting = waitingFor(observer, otherPid);
                if (waiting.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertThat(waiting).singleElement().satisfies(query -> assertThat(query).contains("WITH old AS"));
            try (Statement statement = observer.createStatement();
                    ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                            + "WHERE l.locktype = 'advisory' AND a.application_name = 'xcom-hybrid' AND pg_blocking_pids(a.pid) @> ARRAY[" + otherPid + "]")) {
                resultSet.next();
                assertThat(resultSet.getInt(1)).isZero();
            }
            if (lockedValue != null) {
                try (PreparedStatement statement = other.prepareStatement(write)) {
                    statement.setString(1, "\"other\"");
                    statement.setString(2, key.dagId());
                    assertThat(statement.executeUpdate()).isEqualTo(1);
                }
            }
            other.commit();
            Optional<StoredXCom> replaced = put.get(60, TimeUnit.SECONDS);
            assertThat(replaced).map(StoredXCom::value).contains(json("\"other\""));
        }
        finally {
            executor.shutdownNow();
        }
        assertThat(store().list(XComFilter.ALL.withDagId(key.dagId()))).singleElement()
                .satisfies(row -> assertThat(row.value()).isEqualTo(json("\"mine\"")));
    }

    /**
     * The queries of xcom-hybrid sessions that {@code pid} blocks. The activity row is read once, when the query
     * starts, while {@code pg_blocking_pids} looks at the locks as they are when it runs: a session that starts waiting
     * in between still shows its previous query. Only rows that themselves say they wait for a lock are consistent.
     */
    private static List<String> waitingFor(Connection connection, int pid)
            throws SQLException
    {
        List<String> queries = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT query FROM pg_stat_activity WHERE application_name = 'xcom-hybrid' "
                        + "AND state = 'active' AND wait_event_type = 'Lock' AND pg_blocking_pids(pid) @> ARRAY[" + pid + "]")) {
            while (resultSet.next()) {
                queries.add(resultSet.getString(1));
            }
        }
        return queries;
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
