package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.metadata.AirflowSchemas;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract on Airflow 2's own tables, plus what Airflow 2's layout adds: DAG run and task instance must exist. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPostgresAirflow2MetadataStore
        extends AbstractPostgresMetadataStoreTest
{
    private Connection admin;

    TestPostgresAirflow2MetadataStore()
    {
        super(SchemaMode.AIRFLOW2);
    }

    @BeforeAll
    void setUp()
            throws SQLException
    {
        admin = endpoint.connect();
        AirflowSchemas.createAirflow2(admin, schema);
        openStores();
    }

    @AfterAll
    void tearDown()
            throws SQLException
    {
        if (admin != null) {
            admin.close();
        }
    }

    @Override
    protected synchronized void prepareTaskInstance(XComKey key)
    {
        try {
            AirflowSchemas.insertTaskInstance(admin, key);
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writesTheRowAsAirflow2Does()
            throws SQLException
    {
        XComKey key = new XComKey(newDagId(), "manual__2024-05-01T00:00:00+00:00", "push", 2, "return_value");
        put(key, "{\"a\": 1}");
        StoredXCom stored = store().get(key).orElseThrow();
        try (PreparedStatement select = admin.prepareStatement("SELECT x.dag_run_id, r.id, x.value, x.timestamp, x.task_id, x.map_index, x.key "
                + "FROM " + schema + ".xcom x JOIN " + schema + ".dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id WHERE x.dag_id = ?")) {
            select.setString(1, key.dagId());
            try (ResultSet resultSet = select.executeQuery()) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getInt(1)).isEqualTo(resultSet.getInt(2));
                assertThat(resultSet.getBytes(3)).isEqualTo(json("{\"a\": 1}"));
                assertThat(resultSet.getObject(4, OffsetDateTime.class).toInstant()).isEqualTo(stored.timestamp());
                assertThat(resultSet.getString(5)).isEqualTo("push");
                assertThat(resultSet.getInt(6)).isEqualTo(2);
                assertThat(resultSet.getString(7)).isEqualTo("return_value");
                assertThat(resultSet.next()).isFalse();
            }
        }
    }

    @Test
    void readsAndReplacesRowsAirflowWrote()
            throws SQLException
    {
        XComKey key = XComKey.of(newDagId(), "scheduled__2024-05-01T00:00:00+00:00", "python_task");
        prepareTaskInstance(key);
        Instant written = Instant.parse("2024-05-01T10:11:12.123456Z");
        // what BaseXCom.set inserts: dag_run_id from dag_run, value = json.dumps(...).encode()
        try (PreparedStatement insert = admin.prepareStatement("INSERT INTO " + schema + ".xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, timestamp) "
                + "SELECT id, ?, -1, 'return_value', dag_id, run_id, ?, ? FROM " + schema + ".dag_run WHERE dag_id = ? AND run_id = ?")) {
            insert.setString(1, key.taskId());
            insert.setBytes(2, json("\"s3://bucket/xcom/x.gz\""));
            insert.setObject(3, OffsetDateTime.ofInstant(written, ZoneOffset.UTC));
            insert.setString(4, key.dagId());
            insert.setString(5, key.runId());
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        StoredXCom airflows = store().get(key).orElseThrow();
        assertThat(airflows.value()).isEqualTo(json("\"s3://bucket/xcom/x.gz\""));
        assertThat(airflows.timestamp()).isEqualTo(written);
        assertThat(store().put(key, json("2"))).map(StoredXCom::value).contains(json("\"s3://bucket/xcom/x.gz\""));
    }

    /**
     * Airflow's own writers take no advisory lock: their insert can land between our delete and insert. The store
     * then deletes again, so its puts never fail, even against a writer that replaces the row in a tight loop.
     */
    @Test
    void concurrentAirflowWriterIsToleratedWithoutLosingRows()
            throws Exception
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        prepareTaskInstance(key);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger airflowWrites = new AtomicInteger();
        CountDownLatch firstWrite = new CountDownLatch(1);
        Thread airflow = new Thread(() -> {
            try (Connection connection = endpoint.connect()) {
                connection.createStatement().execute("SET search_path TO " + schema);
                connection.setAutoCommit(false);
                while (!stop.get()) {
                    // BaseXCom.set: look up dag_run_id, delete, insert, commit
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM xcom WHERE key = ? AND run_id = ? AND task_id = ? AND dag_id = ? AND map_index = -1");
                            PreparedStatement insert = connection.prepareStatement("INSERT INTO xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, timestamp) "
                                    + "SELECT id, ?, -1, ?, dag_id, run_id, ?, now() FROM dag_run WHERE dag_id = ? AND run_id = ?")) {
                        delete.setString(1, key.key());
                        delete.setString(2, key.runId());
                        delete.setString(3, key.taskId());
                        delete.setString(4, key.dagId());
                        delete.executeUpdate();
                        insert.setString(1, key.taskId());
                        insert.setString(2, key.key());
                        insert.setBytes(3, json("\"airflow\""));
                        insert.setString(4, key.dagId());
                        insert.setString(5, key.runId());
                        insert.executeUpdate();
                        connection.commit();
                        airflowWrites.incrementAndGet();
                        firstWrite.countDown();
                    }
                    catch (SQLException e) {
                        // Airflow's own session fails the same way on a concurrent insert
                        connection.rollback();
                    }
                }
            }
            catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        airflow.start();
        try {
            // the puts start once the writer runs: a loaded machine may start its thread late
            assertThat(firstWrite.await(60, TimeUnit.SECONDS)).as("the Airflow writer committed once").isTrue();
            for (int i = 0; i < 300; i++) {
                store().put(key, json(String.valueOf(i)));
            }
        }
        finally {
            stop.set(true);
            airflow.join(30_000);
        }
        assertThat(airflowWrites.get()).isPositive();
        assertThat(store().list(XComFilter.ALL.withDagId(key.dagId()))).hasSize(1);
    }

    /**
     * Before the table's statistics see its rows, the planner reads Airflow's identity columns through
     * {@code idx_xcom_task_instance}, scanning every XCom of the task instance for each get, delete and put. The store
     * selects by primary key instead: next to 3,000 XComs of one task instance, 80 lookups read a handful of index
     * entries and nothing through that index.
     */
    @Test
    void lookupsOfOneXComDoNotScanTheTaskInstancesXComsOnUnanalyzedTable()
            throws Exception
    {
        String fresh = endpoint.createSchema("unanalyzed");
        XComKey key = XComKey.of("dag", "run", "task");
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
            AirflowSchemas.createAirflow2(connection, fresh);
            statement.execute("ALTER TABLE xcom SET (autovacuum_enabled = false)");
            AirflowSchemas.insertTaskInstance(connection, key);
            statement.execute("INSERT INTO xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, timestamp) "
                    + "SELECT id, 'task', -1, 'other_' || i, dag_id, run_id, '1', now() FROM dag_run, generate_series(1, 3000) AS i");
            try (MetadataStore store = PostgresStores.create(endpoint, fresh, SchemaMode.AIRFLOW2)) {
                for (int i = 0; i < 20; i++) {
                    assertThat(store.put(key.withKey("key_" + i), json(String.valueOf(i)))).isEmpty();
                    assertThat(store.get(key.withKey("key_" + i)).map(StoredXCom::value)).contains(json(String.valueOf(i)));
                    assertThat(store.getValue(key.withKey("other_" + (i + 1)))).contains(json("1"));
                    assertThat(store.delete(key.withKey("key_" + i))).isPresent();
                }
            }
            // the pool's backends report their index use within PostgreSQL's idle flush interval (10 s) or at exit
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long scans;
            do {
                Thread.sleep(200);
                scans = xcomIndexStatistic(connection, fresh, "sum(idx_scan)");
            }
            while (scans < 80 && System.nanoTime() < deadline);
            assertThat(scans).as("index scans of xcom").isGreaterThanOrEqualTo(80);
            assertThat(xcomIndexStatistic(connection, fresh, "sum(idx_tup_read) FILTER (WHERE indexrelname = 'idx_xcom_task_instance')"))
                    .as("entries read through idx_xcom_task_instance").isZero();
            assertThat(xcomIndexStatistic(connection, fresh, "sum(idx_tup_read)")).as("index entries of xcom read").isLessThan(300);
        }
    }

    private static long xcomIndexStatistic(Connection connection, String schema, String aggregate)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT coalesce(" + aggregate + ", 0) FROM pg_stat_user_indexes "
                + "WHERE schemaname = ? AND relname = 'xcom'")) {
            select.setString(1, schema);
            try (ResultSet resultSet = select.executeQuery()) {
                resultSet.next();
                return resultSet.getLong(1);
            }
        }
    }

    @Test
    void missingDagRunIsNamed()
    {
        XComKey key = XComKey.of(newDagId(), "no_such_run", "task");
        assertThatThrownBy(() -> store().put(key, json("1")))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("DAG run not found")
                .hasMessageContaining("run_id=no_such_run");
        assertThat(store().get(key)).isEmpty();
    }

    @Test
    void missingTaskInstanceIsNamed()
            throws SQLException
    {
        XComKey key = XComKey.of(newDagId(), "run", "never_scheduled");
        AirflowSchemas.insertDagRun(admin, key.dagId(), key.runId());
        assertThatThrownBy(() -> store().put(key, json("1")))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("task instance not found")
                .hasMessageContaining("task_id=never_scheduled");
        assertThat(store().get(key)).isEmpty();
    }

    @Test
    void otherModesRefuseAirflow2Tables()
    {
        try (MetadataStore airflow3 = PostgresStores.create(endpoint, schema, SchemaMode.AIRFLOW3)) {
            assertThatThrownBy(() -> airflow3.get(XComKey.of("dag", "run", "task")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("has a binary value column, not JSON")
                    .hasMessageContaining("schema_mode = airflow2");
        }
        try (MetadataStore standalone = PostgresStores.create(endpoint, schema, SchemaMode.STANDALONE)) {
            assertThatThrownBy(() -> standalone.get(XComKey.of("dag", "run", "task")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("not created by xcom-hybrid")
                    .hasMessageContaining("schema_mode = airflow2");
        }
    }

    @Test
    void modeOnNonAirflowSchemaIsExplained()
    {
        String empty = endpoint.createSchema("empty");
        try (MetadataStore airflow2 = PostgresStores.create(endpoint, empty, SchemaMode.AIRFLOW2)) {
            assertThatThrownBy(() -> airflow2.get(XComKey.of("dag", "run", "task")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("No Airflow xcom/dag_run tables")
                    .hasMessageContaining("airflow db migrate");
        }
    }
}
