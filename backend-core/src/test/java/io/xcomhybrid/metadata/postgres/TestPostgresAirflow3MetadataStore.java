package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.metadata.AirflowSchemas;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.testing.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Airflow 3's table is read only: values come back as JSONB text, every write is refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPostgresAirflow3MetadataStore
{
    private Connection admin;
    private String schema;
    private MetadataStore store;

    @BeforeAll
    void setUp()
            throws SQLException
    {
        PostgresFixture.Endpoint endpoint = PostgresFixture.shared();
        schema = endpoint.createSchema("airflow3");
        admin = endpoint.connect();
        AirflowSchemas.createAirflow3(admin, schema);
        try (Statement statement = admin.createStatement()) {
            statement.execute("INSERT INTO dag_run (dag_id, run_id) VALUES ('dag', 'run')");
            statement.execute("INSERT INTO task_instance (dag_id, task_id, run_id, map_index) VALUES ('dag', 'task', 'run', -1), ('dag', 'task', 'run', 0)");
            // as the Execution API stores them: the serde structure, and a JSON string path for an object-storage reference
            statement.execute("INSERT INTO xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, timestamp) SELECT id, 'task', -1, "
                    + "'return_value', 'dag', 'run', '{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, \"x\"]}'::jsonb, "
                    + "'2025-01-02T03:04:05.000006Z' FROM dag_run");
            statement.execute("INSERT INTO xcom (dag_run_id, task_id, map_index, key, dag_id, run_id, value, timestamp) SELECT id, 'task', 0, "
                    + "'return_value', 'dag', 'run', '\"s3://bucket/xcom/dag/run/task/abc.gz\"'::jsonb, now() FROM dag_run");
        }
        store = PostgresStores.create(endpoint, schema, SchemaMode.AIRFLOW3);
    }

    @AfterAll
    void tearDown()
            throws SQLException
    {
        if (store != null) {
            store.close();
            admin.close();
        }
    }

    @Test
    void readsJsonbAsText()
    {
        StoredXCom tuple = store.get(XComKey.of("dag", "run", "task")).orElseThrow();
        // JSONB keeps keys sorted by length, then bytes; separators are ", " and ": "
        assertThat(new String(tuple.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"__data__\": [1, \"x\"], \"__version__\": 1, \"__classname__\": \"builtins.tuple\"}");
        assertThat(tuple.timestamp().toString()).isEqualTo("2025-01-02T03:04:05.000006Z");

        List<StoredXCom> rows = store.list(XComFilter.run("dag", "run"));
        assertThat(rows).extracting(row -> row.key().mapIndex()).containsExactly(-1, 0);
        assertThat(rows.get(1).value()).isEqualTo("\"s3://bucket/xcom/dag/run/task/abc.gz\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sweepReadsJsonbAsText()
    {
        // what gc reads: the rows of some task instances, then every row through a cursor
        List<StoredXCom> rows = store.listAny(List.of(XComFilter.run("dag", "run").withTaskId("task"), XComFilter.run("dag", "other")));
        assertThat(rows).extracting(row -> row.key().mapIndex()).containsExactlyInAnyOrder(-1, 0);
        List<StoredXCom> scanned = new ArrayList<>();
        store.forEach(XComFilter.ALL, scanned::add);
        assertThat(scanned).extracting(row -> row.key().mapIndex()).containsExactlyInAnyOrder(-1, 0);
        assertThat(scanned).filteredOn(row -> row.key().mapIndex() == 0).singleElement()
                .satisfies(row -> assertThat(row.value()).isEqualTo("\"s3://bucket/xcom/dag/run/task/abc.gz\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesEveryWrite()
            throws SQLException
    {
        XComKey key = XComKey.of("dag", "run", "task");
        assertThatThrownBy(() -> store.put(key, "1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("Execution API");
        assertThatThrownBy(() -> store.delete(key))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("Execution API");
        assertThatThrownBy(() -> store.deleteAll(XComFilter.ALL))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("Execution API");
        try (Statement statement = admin.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM " + schema + ".xcom")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getInt(1)).isEqualTo(2);
        }
    }
}
