package io.xcomhybrid.metadata.jdbc;

import com.zaxxer.hikari.HikariConfig;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.metadata.DatabaseUrl;
import io.xcomhybrid.metadata.MetadataStoreConfig;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * XComs in PostgreSQL, in one of three layouts ({@link SchemaMode}):
 * <ul>
 *   <li>standalone: our own table, created and migrated under an advisory lock so that processes starting together
 *       create it once;</li>
 *   <li>airflow2: Airflow 2's {@code xcom} table, written as {@code BaseXCom.set} does: {@code dag_run_id} looked up
 *       from {@code dag_run}, then delete and insert in one transaction;</li>
 *   <li>airflow3: Airflow 3's {@code xcom} table (JSONB), read only.</li>
 * </ul>
 * Writers of one XCom serialize on a transaction advisory lock derived from its identity; a concurrent insert by a
 * writer that does not take the lock (Airflow itself) is handled by deleting again (see {@code deleteThenInsert}).
 * Bulk deletes lock their rows in identity order first, so they cannot deadlock with each other.
 *
 * <p>In the standalone table a put is first tried as one repeatable-read statement sent with its BEGIN and COMMIT
 * in one round trip ({@link #putInOneStatement}); only when a concurrent writer of the same XCom makes it fail does it
 * take the advisory lock. In Airflow 2's table a put is first tried as {@code BaseXCom.set}'s lookup, delete and
 * insert in one autocommit statement, with the same fallback. A get is a single autocommit SELECT.
 */
public final class PostgresMetadataStore
        extends JdbcMetadataStore
{
    // "xcomhybr" in ASCII: the advisory lock that serializes schema creation and migration across processes
    static final long MIGRATION_LOCK = 0x78636f6d68796272L;

    private static final Set<String> RETRYABLE_STATES = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "23505"); // unique_violation: not expected (inserts are ON CONFLICT DO NOTHING), but a retry resolves it

    static final List<List<String>> MIGRATIONS = List.of(
            List.of("""
                    CREATE TABLE ${table} (
                        dag_id VARCHAR(250) NOT NULL,
                        run_id VARCHAR(250) NOT NULL,
                        task_id VARCHAR(250) NOT NULL,
                        map_index INTEGER NOT NULL DEFAULT -1,
                        "key" VARCHAR(512) NOT NULL,
                        value BYTEA NOT NULL,
                        "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL,
                        PRIMARY KEY (dag_id, run_id, task_id, map_index, "key"))"""));

    private final String putStatement;
    private final String airflow2PutStatement;

    public PostgresMetadataStore(MetadataStoreConfig config)
    {
        super(config, poolConfig(config), describe(config));
        String columns = "dag_id, run_id, task_id, map_index, \"key\"";
        // Under REPEATABLE READ the row is either the one this statement's snapshot saw, now locked, or PostgreSQL
        // raises a serialization failure: a row another writer changed, deleted or inserted since the snapshot (FOR
        // UPDATE of a changed row, ON CONFLICT DO UPDATE of a row the snapshot cannot see). So the old row returned is
        // the one this statement replaced and no other writer is handed it. The insert reads "old" first, which
        // makes the lock come before the upsert.
        this.putStatement = "BEGIN ISOLATION LEVEL REPEATABLE READ; "
                + "WITH old AS (SELECT value, \"timestamp\" FROM " + table + " WHERE " + IDENTITY + " FOR UPDATE), "
                + "upsert AS (INSERT INTO " + table + " (" + columns + ", value, \"timestamp\") "
                + "SELECT ?, ?, ?, ?, ?, ?, ? FROM (SELECT count(*) FROM old) AS locked "
                + "ON CONFLICT (" + columns + ") DO UPDATE SET value = excluded.value, \"timestamp\" = excluded.\"timestamp\") "
                + "SELECT value, \"timestamp\" FROM old; "
                + "COMMIT";
        // BaseXCom.set in one statement (one transaction, read committed as Airflow's sessions): dag_run_id from
        // dag_run, delete the row, insert the new one. The insert reads "old" first, which makes the delete come before
        // it. The delete selects by primary key: a row it deleted makes every other insert of that key wait for this
        // statement, so when the insert finds a conflict, the delete found nothing and nothing was written.
        this.airflow2PutStatement = "WITH run AS (SELECT id FROM dag_run WHERE dag_id = ? AND run_id = ?), "
                + "old AS (DELETE FROM xcom WHERE dag_run_id = (SELECT id FROM run) AND task_id = ? AND map_index = ? AND \"key\" = ? "
                + "RETURNING value, \"timestamp\"), "
                + "inserted AS (INSERT INTO xcom (dag_run_id, task_id, map_index, \"key\", dag_id, run_id, value, \"timestamp\") "
                + "SELECT id, ?, ?, ?, ?, ?, ?, ? FROM run, (SELECT count(*) FROM old) AS deleted ON CONFLICT DO NOTHING RETURNING 1) "
                + "SELECT (SELECT count(*) FROM run), (SELECT count(*) FROM inserted), (SELECT value FROM old), (SELECT \"timestamp\" FROM old)";
    }

    private static String describe(MetadataStoreConfig config)
    {
        return config.url().describe() + " ("
                + config.schema().map(schema -> "schema " + schema + ", ").orElse("")
                + "table " + config.table() + ", schema_mode " + config.schemaMode().configName() + ")";
    }

    private static HikariConfig poolConfig(MetadataStoreConfig config)
    {
        DatabaseUrl url = config.url();
        if (url.dialect() != DatabaseUrl.Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + url);
        }
        HikariConfig pool = new HikariConfig();
        pool.setDriverClassName("org.postgresql.Driver");
        pool.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(pool::setUsername);
        url.password().ifPresent(pool::setPassword);
        url.properties().forEach(pool::addDataSourceProperty);
        if (!url.properties().containsKey("ApplicationName")) {
            pool.addDataSourceProperty("ApplicationName", "xcom-hybrid");
        }
        if (!url.properties().containsKey("connectTimeout")) {
            pool.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, (config.connectionTimeout().toMillis() + 999) / 1000)));
        }
        pool.addDataSourceProperty("tcpKeepAlive", "true");
        // a startup parameter, not Connection.setSchema: a SET inside a transaction that rolls back is undone
        config.schema().ifPresent(schema -> pool.addDataSourceProperty("currentSchema", schema));
        // single statements (get, put) commit by themselves in one round trip; transactions turn autocommit off
        pool.setAutoCommit(true);
        pool.setMaximumPoolSize(config.poolSize());
        pool.setMinimumIdle(1);
        return pool;
    }

    @Override
    protected void begin(Connection connection, boolean write)
            throws SQLException
    {
        // the driver sends BEGIN with the first statement; the pool turns autocommit back on when the connection returns
        connection.setAutoCommit(false);
    }

    @Override
    protected void commit(Connection connection)
            throws SQLException
    {
        connection.commit();
    }

    @Override
    protected void rollback(Connection connection)
            throws SQLException
    {
        if (!connection.isClosed() && !connection.getAutoCommit()) {
            connection.rollback();
        }
    }

    @Override
    protected boolean putsInOneStatement()
    {
        return config.schemaMode() == SchemaMode.STANDALONE || config.schemaMode() == SchemaMode.AIRFLOW2;
    }

    @Override
    protected Optional<Replacement> putInOneStatement(Connection connection, XComKey key, byte[] value, Instant timestamp)
            throws SQLException
    {
        if (config.schemaMode() == SchemaMode.AIRFLOW2) {
            return putAirflow2(connection, key, value, timestamp);
        }
        try (PreparedStatement statement = connection.prepareStatement(putStatement)) {
            setIdentity(statement, 1, key);
            setIdentity(statement, 6, key);
            statement.setBytes(11, value);
            setTimestamp(statement, 12, timestamp);
            // results in order: BEGIN, the rows of the WITH query, COMMIT
            statement.execute();
            if (!statement.getMoreResults()) {
                throw new SQLException("The put statement returned no result for its query: " + putStatement);
            }
            try (ResultSet resultSet = statement.getResultSet()) {
                if (!resultSet.next()) {
                    return Optional.of(new Replacement(Optional.empty()));
                }
                return Optional.of(new Replacement(Optional.of(new StoredXCom(key, readValue(resultSet, 1), readTimestamp(resultSet, 2)))));
            }
        }
        catch (SQLException e) {
            // the statement failed before its COMMIT: end the transaction it began (a no-op warning when there is none)
            if (!connection.isClosed()) {
                try (Statement rollback = connection.createStatement()) {
                    rollback.execute("ROLLBACK");
                }
                catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                    throw e;
                }
            }
            if (isRetryable(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Replacement> putAirflow2(Connection connection, XComKey key, byte[] value, Instant timestamp)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(airflow2PutStatement)) {
            setIdentity(statement, 1, key);
            statement.setString(6, key.taskId());
            statement.setInt(7, key.mapIndex());
            statement.setString(8, key.key());
            statement.setString(9, key.dagId());
            statement.setString(10, key.runId());
            statement.setBytes(11, value);
            setTimestamp(statement, 12, timestamp);
            try (ResultSet resultSet = statement.executeQuery()) {
                resultSet.next();
                if (resultSet.getLong(1) == 0) {
                    throw dagRunNotFound(key);
                }
                boolean deleted = resultSet.getObject(4) != null;
                if (resultSet.getLong(2) == 0) {
                    if (deleted) {
                        // cannot happen: see airflow2PutStatement
                        throw new IllegalStateException("The put of " + key + " in " + describe() + " deleted the row but inserted none");
                    }
                    // a writer that takes no lock (Airflow) inserted the XCom since this statement began
                    return Optional.empty();
                }
                return Optional.of(new Replacement(deleted ? Optional.of(new StoredXCom(key, readValue(resultSet, 3), readTimestamp(resultSet, 4))) : Optional.empty()));
            }
        }
        catch (SQLException e) {
            if (isForeignKeyViolation(e)) {
                throw taskInstanceNotFound(key, e);
            }
            // an autocommit statement that failed wrote nothing: the locked transaction retries
            if (isRetryable(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    protected void prepareSchema(Connection connection)
            throws SQLException
    {
        String current;
        try (PreparedStatement select = connection.prepareStatement("SELECT current_schema()");
                ResultSet resultSet = select.executeQuery()) {
            current = resultSet.next() ? resultSet.getString(1) : null;
        }
        if (current == null || (config.schema().isPresent() && !config.schema().get().equals(current))) {
            throw new MetadataStoreException("Cannot use " + describe() + ": "
                    + config.schema().map(schema -> "schema " + schema + " ([database] sql_alchemy_schema) does not exist or is not accessible")
                    .orElse("no schema of the search path exists"));
        }
        switch (config.schemaMode()) {
            case STANDALONE -> {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, MIGRATION_LOCK);
                    lock.execute();
                }
                migrateStandalone(connection, MIGRATIONS);
            }
            case AIRFLOW2, AIRFLOW3 -> verifyAirflowTable(connection);
        }
    }

    @Override
    protected ValueColumn valueColumn(Connection connection, String tableName)
            throws SQLException
    {
        return switch (columnType(connection, tableName, "value")) {
            case "bytea" -> ValueColumn.BINARY;
            case "jsonb", "json" -> ValueColumn.JSON;
            case "missing" -> ValueColumn.MISSING;
            default -> ValueColumn.OTHER;
        };
    }

    private static String columnType(Connection connection, String tableName, String column)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT udt_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
            select.setString(1, tableName);
            select.setString(2, column);
            try (ResultSet resultSet = select.executeQuery()) {
                return resultSet.next() ? resultSet.getString(1) : "missing";
            }
        }
    }

    @Override
    protected boolean tableExists(Connection connection, String name)
            throws SQLException
    {
        return returnsRow(connection, "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?", name);
    }

    @Override
    protected boolean columnExists(Connection connection, String tableName, String column)
            throws SQLException
    {
        return !"missing".equals(columnType(connection, tableName, column));
    }

    @Override
    protected boolean isRetryable(SQLException e)
    {
        return RETRYABLE_STATES.contains(e.getSQLState());
    }

    @Override
    protected String valueExpression()
    {
        // JSONB's text form uses ", " and ": " separators, like Python's json.dumps
        return config.schemaMode() == SchemaMode.AIRFLOW3 ? "value::text" : "value";
    }

    @Override
    protected Instant readTimestamp(ResultSet resultSet, int column)
            throws SQLException
    {
        return resultSet.getObject(column, OffsetDateTime.class).toInstant();
    }

    @Override
    protected void setTimestamp(PreparedStatement statement, int index, Instant timestamp)
            throws SQLException
    {
        statement.setObject(index, OffsetDateTime.ofInstant(timestamp, ZoneOffset.UTC));
    }

    @Override
    protected void lockKey(Connection connection, XComKey key)
            throws SQLException
    {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, lockId(key));
            lock.execute();
        }
    }

    private long lockId(XComKey key)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(table, key.dagId(), key.runId(), key.taskId(), String.valueOf(key.mapIndex()), key.key())) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return ByteBuffer.wrap(digest.digest()).getLong();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void lockRows(Connection connection, XComFilter filter)
            throws SQLException
    {
        try (PreparedStatement lock = connection.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM " + table + where(filter)
                + " ORDER BY " + ORDER + " FOR UPDATE) AS locked")) {
            setFilter(lock, filter);
            lock.execute();
        }
    }

    @Override
    protected boolean isForeignKeyViolation(SQLException e)
    {
        return "23503".equals(e.getSQLState());
    }

    @Override
    protected String explain(SQLException e)
    {
        String state = e.getSQLState();
        if (state != null && state.startsWith("57P")) {
            return "the database server is shutting down or restarting (" + state + "): " + e.getMessage();
        }
        if ("28P01".equals(state) || "28000".equals(state)) {
            return "authentication failed (check the user and password of [database] sql_alchemy_conn): " + e.getMessage();
        }
        return super.explain(e);
    }
}
