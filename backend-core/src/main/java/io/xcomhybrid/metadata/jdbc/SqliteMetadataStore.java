package io.xcomhybrid.metadata.jdbc;

import com.zaxxer.hikari.HikariConfig;
import io.xcomhybrid.metadata.DatabaseUrl;
import io.xcomhybrid.metadata.MetadataStoreConfig;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.SchemaMode;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * XComs in a SQLite database file, for one host: writers serialized by {@code BEGIN IMMEDIATE} and a busy timeout, so
 * threads of one process and processes on one host may share the file; our own file uses the WAL journal. A database on
 * a network filesystem is refused because SQLite's locking does not reach other hosts. The Airflow layouts work on
 * the SQLite database of an Airflow development setup ({@code airflow standalone}).
 *
 * <p>The statements of every get and put stay prepared with their connection across pool checkouts: SQLite compiles a
 * statement on each prepare, which took longer than running it (a get of ~1 KiB spent most of its time there).
 *
 * <p>Timestamps are stored as naive UTC text ({@code 2024-01-31 12:00:00.123456}), as SQLAlchemy stores Airflow's.
 */
public final class SqliteMetadataStore
        extends JdbcMetadataStore
{
    // Types Linux reports (/proc/mounts) for filesystems whose locks, and WAL shared memory, do not reach other hosts.
    private static final Set<String> NETWORK_FILESYSTEMS = Set.of("nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs",
            "9p", "afs", "ceph", "glusterfs", "fuse.glusterfs", "fuse.sshfs", "lustre", "gpfs", "fuse.s3fs", "fuse.gcsfuse", "fuse.mountpoint-s3");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    // what other writers may have left: no or fewer fraction digits, a 'T' separator
    private static final DateTimeFormatter LENIENT_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .append(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT))
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    static final List<List<String>> MIGRATIONS = List.of(
            List.of("""
                    CREATE TABLE ${table} (
                        dag_id VARCHAR(250) NOT NULL,
                        run_id VARCHAR(250) NOT NULL,
                        task_id VARCHAR(250) NOT NULL,
                        map_index INTEGER NOT NULL DEFAULT -1,
                        "key" VARCHAR(512) NOT NULL,
                        value BLOB NOT NULL,
                        "timestamp" TIMESTAMP NOT NULL,
                        PRIMARY KEY (dag_id, run_id, task_id, map_index, "key"))"""));

    // keyed by the driver's connection (the pool hands out a new wrapper on each checkout); used by one thread at a time
    private final Map<Connection, Map<String, PreparedStatement>> statements = new ConcurrentHashMap<>();

    public SqliteMetadataStore(MetadataStoreConfig config)
    {
        super(config, poolConfig(config), config.url().describe() + " (table " + config.table() + ", schema_mode " + config.schemaMode().configName() + ")");
    }

    private static HikariConfig poolConfig(MetadataStoreConfig config)
    {
        if (config.url().dialect() != DatabaseUrl.Dialect.SQLITE) {
            throw new IllegalArgumentException("not a SQLite URL: " + config.url());
        }
        HikariConfig pool = new HikariConfig();
        pool.setDriverClassName("org.sqlite.JDBC");
        pool.setJdbcUrl(config.url().jdbcUrl());
        // transactions are explicit BEGIN/COMMIT statements: with autocommit off the driver would open the next
        // transaction as soon as one ends and hold it while the connection idles in the pool
        pool.setAutoCommit(true);
        pool.addDataSourceProperty("busy_timeout", String.valueOf(config.busyTimeout().toMillis()));
        if (config.url().isInMemory()) {
            // every connection to ":memory:" is a database of its own: keep exactly one, for the store's lifetime
            pool.setMaximumPoolSize(1);
            pool.setMinimumIdle(1);
            pool.setMaxLifetime(0);
            pool.setIdleTimeout(0);
        }
        else {
            createParentDirectory(config);
            if (config.schemaMode() == SchemaMode.STANDALONE) {
                // our own file; Airflow's database keeps the journal mode Airflow gave it
                pool.addDataSourceProperty("journal_mode", "WAL");
            }
            pool.setMaximumPoolSize(config.poolSize());
            pool.setMinimumIdle(1);
        }
        if (config.schemaMode() == SchemaMode.AIRFLOW2) {
            // as Airflow's own connections do (orm_event_handlers: PRAGMA foreign_keys=ON), so a missing task
            // instance is an error rather than a dangling row
            pool.addDataSourceProperty("foreign_keys", "true");
        }
        return pool;
    }

    /** A new database file is created by the driver, but its folder must exist (the embedded default's ./xcom-data). */
    private static void createParentDirectory(MetadataStoreConfig config)
    {
        config.url().sqliteFile().map(Path::getParent).ifPresent(folder -> {
            try {
                Files.createDirectories(folder);
            }
            catch (IOException e) {
                throw new MetadataStoreException("Cannot create the folder of " + config.url().describe() + ": " + e, e);
            }
        });
    }

    @Override
    protected void begin(Connection connection, boolean write)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            // IMMEDIATE takes the write lock first, through the busy handler; a deferred transaction upgrading from
            // read to write fails at once with SQLITE_BUSY when another writer got in between
            statement.execute(write ? "BEGIN IMMEDIATE" : "BEGIN");
        }
    }

    @Override
    protected void commit(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute("COMMIT");
        }
    }

    @Override
    protected void rollback(Connection connection)
            throws SQLException
    {
        if (connection.isClosed()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        }
        catch (SQLException e) {
            // no transaction is active when BEGIN itself failed
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                throw e;
            }
        }
    }

    @Override
    protected void prepareSchema(Connection connection)
            throws SQLException
    {
        if (config.schemaMode() != SchemaMode.STANDALONE) {
            verifyAirflowTable(connection);
            return;
        }
        if (config.url().sqliteFile().isPresent()) {
            try (Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("PRAGMA journal_mode")) {
                String mode = resultSet.next() ? resultSet.getString(1) : "unknown";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new MetadataStoreException("Cannot use " + describe() + ": SQLite journal mode is '" + mode
                            + "', not WAL (is the file read only, or its filesystem without shared memory?)");
                }
            }
        }
        migrateStandalone(connection, MIGRATIONS);
    }

    @Override
    protected void checkBeforeConnecting()
    {
        config.url().sqliteFile().ifPresent(this::checkLocalFile);
    }

    private void checkLocalFile(Path file)
    {
        Path directory = file.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new MetadataStoreException("Cannot use " + describe() + ": directory " + directory + " does not exist");
        }
        String type;
        try {
            type = Files.getFileStore(directory).type().toLowerCase(Locale.ROOT);
        }
        catch (IOException e) {
            throw new MetadataStoreException("Cannot use " + describe() + ": cannot inspect the filesystem of " + directory, e);
        }
        if (NETWORK_FILESYSTEMS.contains(type)) {
            throw new MetadataStoreException("Cannot use " + describe() + ": it is on a network filesystem (" + type
                    + "), where SQLite's locking does not protect writers on different hosts; use PostgreSQL for XComs "
                    + "shared between hosts, or a local path for a single host");
        }
    }

    @Override
    protected boolean tableExists(Connection connection, String name)
            throws SQLException
    {
        return returnsRow(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name);
    }

    @Override
    protected boolean columnExists(Connection connection, String tableName, String column)
            throws SQLException
    {
        return returnsRow(connection, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", tableName, column);
    }

    @Override
    protected ValueColumn valueColumn(Connection connection, String tableName)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement("SELECT upper(type) FROM pragma_table_info(?) WHERE name = 'value'")) {
            select.setString(1, tableName);
            try (ResultSet resultSet = select.executeQuery()) {
                if (!resultSet.next()) {
                    return ValueColumn.MISSING;
                }
                return switch (resultSet.getString(1)) {
                    case "BLOB" -> ValueColumn.BINARY;
                    case "JSON" -> ValueColumn.JSON;
                    default -> ValueColumn.OTHER;
                };
            }
        }
    }

    @Override
    protected <T> T withStatement(Connection connection, String sql, StatementBody<T> body)
            throws SQLException
    {
        Connection physical = connection.unwrap(Connection.class);
        Map<String, PreparedStatement> prepared = statements.get(physical);
        if (prepared == null) {
            // a connection the pool has not handed out before: forget those it has closed (their statements are closed with them)
            statements.keySet().removeIf(SqliteMetadataStore::isClosed);
            prepared = new HashMap<>();
            statements.put(physical, prepared);
        }
        PreparedStatement statement = prepared.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = physical.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        try {
            T result = body.run(statement);
            statement.clearParameters();
            return result;
        }
        catch (SQLException | RuntimeException e) {
            prepared.remove(sql);
            try {
                statement.close();
            }
            catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private static boolean isClosed(Connection connection)
    {
        try {
            return connection.isClosed();
        }
        catch (SQLException e) {
            return true;
        }
    }

    @Override
    public void close()
    {
        // closing the pool closes its connections, and with them their statements
        super.close();
        statements.clear();
    }

    @Override
    protected boolean isForeignKeyViolation(SQLException e)
    {
        return e instanceof SQLiteException sqlite && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY
                || String.valueOf(sqlite.getMessage()).contains("FOREIGN KEY constraint failed"));
    }

    @Override
    protected boolean isRetryable(SQLException e)
    {
        // SQLITE_BUSY arrives only after busy_timeout has already been waited out
        return false;
    }

    @Override
    protected Instant readTimestamp(ResultSet resultSet, int column)
            throws SQLException
    {
        String text = resultSet.getString(column);
        try {
            return LocalDateTime.parse(text, LENIENT_TIMESTAMP).toInstant(ZoneOffset.UTC);
        }
        catch (DateTimeParseException | NullPointerException e) {
            throw new SQLException("unreadable timestamp '" + text + "' in table " + table, e);
        }
    }

    @Override
    protected void setTimestamp(PreparedStatement statement, int index, Instant timestamp)
            throws SQLException
    {
        statement.setString(index, TIMESTAMP.format(LocalDateTime.ofInstant(timestamp, ZoneOffset.UTC)));
    }

    @Override
    protected String explain(SQLException e)
    {
        if (e instanceof SQLiteException sqlite && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
                || sqlite.getResultCode().code == SQLiteErrorCode.SQLITE_BUSY.code)) {
            return "the database is locked by another connection or process for longer than [xcom_hybrid] "
                    + MetadataStoreConfig.BUSY_TIMEOUT + " (" + config.busyTimeout().toMillis() + "ms): " + e.getMessage();
        }
        return super.explain(e);
    }
}
