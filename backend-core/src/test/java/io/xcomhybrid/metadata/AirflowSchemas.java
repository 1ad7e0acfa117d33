package io.xcomhybrid.metadata;

import io.xcomhybrid.XComKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Airflow's tables as far as XComs touch them: {@code xcom} exactly as Airflow 2.9-2.11 and 3.0-3.2 declare it
 * (spec 5.1, 5.2; on SQLite as SQLAlchemy emits it for Airflow 2.11), and the referenced {@code dag_run} and
 * {@code task_instance} reduced to their keys and the columns XComs read.
 */
public final class AirflowSchemas
{
    private static final String DAG_RUN = """
            CREATE TABLE dag_run (
                id SERIAL NOT NULL,
                dag_id VARCHAR(250) NOT NULL,
                run_id VARCHAR(250) NOT NULL,
                execution_date TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                state VARCHAR(50),
                run_type VARCHAR(50) NOT NULL DEFAULT 'manual',
                CONSTRAINT dag_run_pkey PRIMARY KEY (id),
                CONSTRAINT dag_run_dag_id_run_id_key UNIQUE (dag_id, run_id))""";

    private static final String TASK_INSTANCE = """
            CREATE TABLE task_instance (
                task_id VARCHAR(250) NOT NULL,
                dag_id VARCHAR(250) NOT NULL,
                run_id VARCHAR(250) NOT NULL,
                map_index INTEGER NOT NULL DEFAULT -1,
                state VARCHAR(20),
                CONSTRAINT task_instance_pkey PRIMARY KEY (dag_id, task_id, run_id, map_index),
                CONSTRAINT task_instance_dag_run_fkey FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE)""";

    private static final String XCOM = """
            CREATE TABLE xcom (
                dag_run_id INTEGER NOT NULL,
                task_id VARCHAR(250) NOT NULL,
                map_index INTEGER NOT NULL DEFAULT -1,
                key VARCHAR(512) NOT NULL,
                dag_id VARCHAR(250) NOT NULL,
                run_id VARCHAR(250) NOT NULL,
                value %s,
                timestamp TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT xcom_pkey PRIMARY KEY (dag_run_id, task_id, map_index, key),
                CONSTRAINT xcom_task_instance_fkey FOREIGN KEY (dag_id, task_id, run_id, map_index)
                    REFERENCES task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE)""";

    private static final List<String> INDEXES = List.of(
            "CREATE INDEX idx_xcom_key ON xcom (key)",
            "CREATE INDEX idx_xcom_task_instance ON xcom (dag_id, task_id, run_id, map_index)");

    private AirflowSchemas() {}

    private static final String SQLITE_DAG_RUN = """
            CREATE TABLE dag_run (
                id INTEGER NOT NULL,
                dag_id VARCHAR(250) NOT NULL,
                run_id VARCHAR(250) NOT NULL,
                run_type VARCHAR(50) NOT NULL DEFAULT 'manual',
                CONSTRAINT dag_run_pkey PRIMARY KEY (id),
                CONSTRAINT dag_run_dag_id_run_id_key UNIQUE (dag_id, run_id))""";

    private static final String SQLITE_TASK_INSTANCE = """
            CREATE TABLE task_instance (
                task_id VARCHAR(250) NOT NULL,
                dag_id VARCHAR(250) NOT NULL,
                run_id VARCHAR(250) NOT NULL,
                map_index INTEGER DEFAULT -1 NOT NULL,
                state VARCHAR(20),
                CONSTRAINT task_instance_pkey PRIMARY KEY (dag_id, task_id, run_id, map_index),
                CONSTRAINT task_instance_dag_run_fkey FOREIGN KEY(dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE)""";

    // sqlite_master of a database migrated by Airflow 2.11.2 ('value BLOB'; Airflow 3 declares it JSON)
    private static final String SQLITE_XCOM = """
            CREATE TABLE xcom (
                dag_run_id INTEGER NOT NULL,
                task_id VARCHAR(250) NOT NULL,
                map_index INTEGER DEFAULT -1 NOT NULL,
                "key" VARCHAR(512) NOT NULL,
                dag_id VARCHAR(250) NOT NULL,
                run_id VARCHAR(250) NOT NULL,
                value %s,
                timestamp TIMESTAMP NOT NULL,
                CONSTRAINT xcom_pkey PRIMARY KEY (dag_run_id, task_id, map_index, "key"),
                CONSTRAINT xcom_task_instance_fkey FOREIGN KEY(dag_id, task_id, run_id, map_index)
                    REFERENCES task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE)""";

    private static final List<String> SQLITE_INDEXES = List.of(
            "CREATE INDEX idx_xcom_key ON xcom (\"key\")",
            "CREATE INDEX idx_xcom_task_instance ON xcom (dag_id, task_id, run_id, map_index)");

    public static void createSqlite(Connection connection, boolean airflow3)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(SQLITE_DAG_RUN);
            statement.execute(SQLITE_TASK_INSTANCE);
            statement.execute(SQLITE_XCOM.formatted(airflow3 ? "JSON" : "BLOB"));
            for (String index : SQLITE_INDEXES) {
                statement.execute(index);
            }
        }
    }

    public static void createAirflow2(Connection connection, String schema)
            throws SQLException
    {
        create(connection, schema, "BYTEA");
    }

    public static void createAirflow3(Connection connection, String schema)
            throws SQLException
    {
        create(connection, schema, "JSONB");
    }

    private static void create(Connection connection, String schema, String valueType)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
            statement.execute(DAG_RUN);
            statement.execute(TASK_INSTANCE);
            statement.execute(XCOM.formatted(valueType));
            for (String index : INDEXES) {
                statement.execute(index);
            }
        }
    }

    /** Inserts the dag_run and task_instance rows Airflow 2 requires before an XCom of {@code key} can be written, unless they exist. */
    public static void insertTaskInstance(Connection connection, XComKey key)
            throws SQLException
    {
        insertDagRun(connection, key.dagId(), key.runId());
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO task_instance (dag_id, task_id, run_id, map_index, state) "
                + "VALUES (?, ?, ?, ?, 'running') ON CONFLICT DO NOTHING")) {
            insert.setString(1, key.dagId());
            insert.setString(2, key.taskId());
            insert.setString(3, key.runId());
            insert.setInt(4, key.mapIndex());
            insert.executeUpdate();
        }
    }

    /** Inserts a dag_run row, unless it exists. */
    public static void insertDagRun(Connection connection, String dagId, String runId)
            throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dag_run (dag_id, run_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, dagId);
            insert.setString(2, runId);
            insert.executeUpdate();
        }
    }
}
