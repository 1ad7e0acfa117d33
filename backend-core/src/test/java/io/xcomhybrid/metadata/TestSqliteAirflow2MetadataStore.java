package io.xcomhybrid.metadata;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.config.AirflowConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract on the SQLite database of an Airflow 2 development setup ({@code airflow standalone}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestSqliteAirflow2MetadataStore
        extends AbstractMetadataStoreTest
{
    @TempDir
    static Path temp;

    private Path file;
    private Connection admin;

    @BeforeAll
    void setUp()
            throws SQLException
    {
        file = temp.resolve("airflow.db");
        admin = DriverManager.getConnection("jdbc:sqlite:" + file);
        AirflowSchemas.createSqlite(admin, false);
        try (Statement statement = admin.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 30000");
        }
        openStores();
    }

    @AfterAll
    void tearDown()
            throws SQLException
    {
        admin.close();
    }

    private static MetadataStore storeFor(Path database, SchemaMode mode)
    {
        return MetadataStores.create(AirflowConfig.of(Map.of(
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + database),
                "xcom_hybrid", Map.of("schema_mode", mode.configName())), Map.of()));
    }

    @Override
    protected MetadataStore newStore()
    {
        return storeFor(file, SchemaMode.AIRFLOW2);
    }

    @Override
    protected Map<String, String> processEnvironment()
    {
        return Map.of(
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "sqlite:///" + file,
                "AIRFLOW__XCOM_HYBRID__SCHEMA_MODE", "airflow2");
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

    @Override
    protected synchronized void prepareTaskInstances(List<XComKey> keys)
    {
        try (Statement statement = admin.createStatement()) {
            statement.execute("BEGIN");
            keys.forEach(this::prepareTaskInstance);
            statement.execute("COMMIT");
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writesTheRowAsAirflow2DoesAndKeepsAirflowsJournalMode()
            throws SQLException
    {
        XComKey key = new XComKey(newDagId(), "manual__2024-05-01T00:00:00+00:00", "push", 2, "return_value");
        put(key, "{\"a\": 1}");
        try (PreparedStatement select = admin.prepareStatement("SELECT x.dag_run_id, r.id, typeof(x.value), x.value, x.timestamp "
                + "FROM xcom x JOIN dag_run r ON r.dag_id = x.dag_id AND r.run_id = x.run_id WHERE x.dag_id = ?")) {
            select.setString(1, key.dagId());
            try (ResultSet resultSet = select.executeQuery()) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getLong(1)).isEqualTo(resultSet.getLong(2));
                assertThat(resultSet.getString(3)).isEqualTo("blob");
                assertThat(resultSet.getBytes(4)).isEqualTo(json("{\"a\": 1}"));
                // SQLAlchemy's DATETIME text for UtcDateTime on SQLite
                assertThat(resultSet.getString(5)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
            }
        }
        try (Statement statement = admin.createStatement(); ResultSet resultSet = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isEqualTo("delete");
        }
    }

    @Test
    void readsTimestampsAirflowWrote()
            throws SQLException
    {
        XComKey key = XComKey.of(newDagId(), "run", "python_task");
        prepareTaskInstance(key);
        try (PreparedStatement insert = admin.prepareStatement("INSERT INTO xcom (dag_run_id, task_id, map_index, \"key\", dag_id, run_id, value, timestamp) "
                + "SELECT id, ?, -1, 'return_value', dag_id, run_id, ?, '2024-05-01 10:11:12.123456' FROM dag_run WHERE dag_id = ? AND run_id = ?")) {
            insert.setString(1, key.taskId());
            insert.setBytes(2, json("\"s3://bucket/x.gz\""));
            insert.setString(3, key.dagId());
            insert.setString(4, key.runId());
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        StoredXCom row = store().get(key).orElseThrow();
        assertThat(row.timestamp().toString()).isEqualTo("2024-05-01T10:11:12.123456Z");
        assertThat(row.value()).isEqualTo(json("\"s3://bucket/x.gz\""));
    }

    @Test
    void missingDagRunAndTaskInstanceAreNamed()
            throws SQLException
    {
        XComKey noRun = XComKey.of(newDagId(), "no_such_run", "task");
        assertThatThrownBy(() -> store().put(noRun, json("1")))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining(noRun.toString())
                .hasMessageContaining("DAG run not found");
        XComKey noTask = XComKey.of(newDagId(), "run", "never_scheduled");
        AirflowSchemas.insertDagRun(admin, noTask.dagId(), noTask.runId());
        assertThatThrownBy(() -> store().put(noTask, json("1")))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining(noTask.toString())
                .hasMessageContaining("task instance not found");
        assertThat(store().get(noTask)).isEmpty();
    }

    @Test
    void airflow3LayoutIsReadOnlyAndModesAreChecked()
            throws SQLException
    {
        Path airflow3 = temp.resolve("airflow3.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + airflow3);
                Statement statement = connection.createStatement()) {
            AirflowSchemas.createSqlite(connection, true);
            statement.execute("INSERT INTO dag_run (dag_id, run_id) VALUES ('dag', 'run')");
            statement.execute("INSERT INTO task_instance (dag_id, task_id, run_id, map_index) VALUES ('dag', 'task', 'run', -1)");
            statement.execute("INSERT INTO xcom (dag_run_id, task_id, map_index, \"key\", dag_id, run_id, value, timestamp) "
                    + "VALUES (1, 'task', -1, 'return_value', 'dag', 'run', '{\"b\": 1, \"a\": [true, null]}', '2025-01-02 03:04:05.000006')");
        }
        XComKey key = XComKey.of("dag", "run", "task");
        try (MetadataStore reader = storeFor(airflow3, SchemaMode.AIRFLOW3)) {
            assertThat(new String(reader.get(key).orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("{\"b\": 1, \"a\": [true, null]}");
            assertThatThrownBy(() -> reader.put(key, json("1"))).hasMessageContaining("Execution API");
            assertThatThrownBy(() -> reader.deleteAll(XComFilter.ALL)).hasMessageContaining("Execution API");
        }
        try (MetadataStore wrong = storeFor(airflow3, SchemaMode.AIRFLOW2)) {
            assertThatThrownBy(() -> wrong.get(key))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("has a JSON value column, not binary")
                    .hasMessageContaining("schema_mode = airflow3");
        }
        try (MetadataStore wrong = storeFor(file, SchemaMode.AIRFLOW3)) {
            assertThatThrownBy(() -> wrong.get(key))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("schema_mode = airflow2");
        }
    }
}
