package io.xcomhybrid.metadata.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.metadata.DatabaseUrl;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreConfig;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The SQL shared by the SQLite and PostgreSQL stores: a HikariCP pool of autocommit connections, one transaction per
 * operation with a bounded retry of transient conflicts, the schema prepared once on first use, and errors that name
 * the operation, the XCom and the database. A get is one statement on its own (no BEGIN/COMMIT around it), and a
 * dialect may put in one statement ({@link #putInOneStatement}): small XComs cost one round trip each.
 */
public abstract class JdbcMetadataStore
        implements MetadataStore
{
    /** Records the version of each standalone table, keyed by table name. */
    public static final String VERSION_TABLE = "xcom_hybrid_schema";
    static final int MAX_ATTEMPTS = 8;
    private static final AtomicInteger POOL_NUMBERS = new AtomicInteger();
    static final Comparator<XComKey> IDENTITY_ORDER = Comparator.comparing(XComKey::dagId)
            .thenComparing(XComKey::runId)
            .thenComparing(XComKey::taskId)
            .thenComparingInt(XComKey::mapIndex)
            .thenComparing(XComKey::key);

    protected static final String IDENTITY = "dag_id = ? AND run_id = ? AND task_id = ? AND map_index = ? AND \"key\" = ?";
    /**
     * The row of one XCom in Airflow's {@code xcom} table by its primary key {@code (dag_run_id, task_id, map_index,
     * key)}, binding the same parameters in the same order as {@link #IDENTITY}. The rows are the same: an xcom row's
     * {@code dag_id}/{@code run_id} name the DAG run whose id is its {@code dag_run_id} ({@code BaseXCom.set} writes it
     * so, the foreign key of {@code task_instance} to {@code dag_run} keeps them from changing, and deleting the run
     * deletes its XComs). {@link #IDENTITY} on that table lets the planner pick {@code idx_xcom_task_instance}
     * whenever the statistics predate the rows (a new or fast-growing table): that index scans every XCom of the task
     * instance, a millisecond per thousand rows, for each get and delete.
     */
    protected static final String AIRFLOW_IDENTITY = "dag_run_id = (SELECT id FROM dag_run WHERE dag_id = ? AND run_id = ?) "
            + "AND task_id = ? AND map_index = ? AND \"key\" = ?";
    // bounds the parameters of one listAny statement (5 per filter at most) well below every driver's limit
    private static final int FILTERS_PER_STATEMENT = 100;
    private static final int SCAN_FETCH_SIZE = 1000;
    protected static final String ORDER = "dag_id, run_id, task_id, map_index, \"key\"";

    protected final MetadataStoreConfig config;
    protected final String table;
    /** {@link #IDENTITY} or, on Airflow's tables, {@link #AIRFLOW_IDENTITY}: the condition selecting one XCom's row. */
    protected final String identity;
    private final HikariDataSource pool;
    private final String description;
    private final Object schemaLock = new Object();
    private volatile boolean schemaReady;
    private final AtomicBoolean closed = new AtomicBoolean();

    protected JdbcMetadataStore(MetadataStoreConfig config, HikariConfig poolConfig, String description)
    {
        this.config = requireNonNull(config, "config is null");
        this.table = config.table();
        this.identity = config.schemaMode() == SchemaMode.STANDALONE ? IDENTITY : AIRFLOW_IDENTITY;
        this.description = requireNonNull(description, "description is null");
        poolConfig.setPoolName("xcom-hybrid-metadata-" + POOL_NUMBERS.incrementAndGet());
        // the store is created before the database answers; the first operation reports an unreachable database
        poolConfig.setInitializationFailTimeout(-1);
        poolConfig.setConnectionTimeout(config.connectionTimeout().toMillis());
        this.pool = new HikariDataSource(poolConfig);
    }

    /** A functional body run inside one transaction. */
    @FunctionalInterface
    protected interface Transaction<T>
    {
        T run(Connection connection)
                throws SQLException;
    }

    /**
     * Starts a transaction on an autocommit connection from the pool; writes take the database's write lock up front
     * where that avoids upgrade deadlocks.
     */
    protected abstract void begin(Connection connection, boolean write)
            throws SQLException;

    protected abstract void commit(Connection connection)
            throws SQLException;

    protected abstract void rollback(Connection connection)
            throws SQLException;

    /** Creates, migrates or verifies the table; runs once per store in a write transaction before the first operation. */
    protected abstract void prepareSchema(Connection connection)
            throws SQLException;

    /** Checks what can be checked without a connection, to explain why connecting would fail; runs before the first connection. */
    protected void checkBeforeConnecting()
    {}

    /** A conflict that a new attempt of the whole transaction resolves (serialization failure, deadlock, concurrent insert of the same key). */
    protected abstract boolean isRetryable(SQLException e);

    /** The SQL expression reading the value column as bytes or text. */
    protected String valueExpression()
    {
        return "value";
    }

    protected byte[] readValue(ResultSet resultSet, int column)
            throws SQLException
    {
        if (config.schemaMode() == SchemaMode.AIRFLOW3) {
            String text = resultSet.getString(column);
            return (text == null ? "null" : text).getBytes(StandardCharsets.UTF_8);
        }
        byte[] value = resultSet.getBytes(column);
        // SQL NULL (never written by Airflow's serializer, which stores JSON null as "null") reads as JSON null
        return value == null ? "null".getBytes(StandardCharsets.UTF_8) : value;
    }

    protected abstract Instant readTimestamp(ResultSet resultSet, int column)
            throws SQLException;

    protected abstract void setTimestamp(PreparedStatement statement, int index, Instant timestamp)
            throws SQLException;

    /** Serializes writers of one XCom within this database where the dialect needs it; a no-op by default. */
    protected void lockKey(Connection connection, XComKey key)
            throws SQLException
    {}

    /** Locks the rows a filter selects in identity order, so concurrent bulk deletes cannot deadlock; a no-op by default. */
    protected void lockRows(Connection connection, XComFilter filter)
            throws SQLException
    {}

    /** How the {@code value} column of a table is typed. */
    protected enum ValueColumn
    {
        BINARY, JSON, MISSING, OTHER
    }

    protected abstract ValueColumn valueColumn(Connection connection, String tableName)
            throws SQLException;

    protected abstract boolean isForeignKeyViolation(SQLException e);

    /** Airflow 3's table is read only: its tasks write XComs through the Task Execution API. */
    private void checkWritable(String operation, Object subject)
    {
        if (config.schemaMode() == SchemaMode.AIRFLOW3) {
            throw new MetadataStoreException("Cannot " + operation + " " + subject + " in " + description + ": an Airflow 3 "
                    + "metadata database is read only here, because Airflow 3 tasks write XComs through the Task Execution API "
                    + "(POST /execution/xcoms/...), never the database; writing it directly would bypass the API server");
        }
    }

    /** Checks that Airflow's tables exist with the value type of the configured Airflow version. */
    protected void verifyAirflowTable(Connection connection)
            throws SQLException
    {
        boolean airflow2 = config.schemaMode() == SchemaMode.AIRFLOW2;
        int version = airflow2 ? 2 : 3;
        // both layouts read one XCom through dag_run (AIRFLOW_IDENTITY)
        if (!tableExists(connection, "xcom") || !tableExists(connection, "dag_run")) {
            throw new MetadataStoreException("No Airflow xcom/dag_run tables in " + description + ": is [database] sql_alchemy_conn "
                    + "an Airflow " + version + " metadata database, migrated with 'airflow db migrate'"
                    + (config.url().dialect() == DatabaseUrl.Dialect.POSTGRESQL ? ", and [database] sql_alchemy_schema its schema?" : "?"));
        }
        if (!columnExists(connection, "xcom", "dag_run_id")) {
            throw new MetadataStoreException("Table xcom in " + description + " has no dag_run_id column: it is not Airflow's "
                    + "(for xcom-hybrid's own table set [xcom_hybrid] schema_mode = standalone)");
        }
        ValueColumn expected = airflow2 ? ValueColumn.BINARY : ValueColumn.JSON;
        ValueColumn actual = valueColumn(connection, "xcom");
        if (actual != expected) {
            String hint = switch (actual) {
                case JSON -> "this is an Airflow 3 database: set [xcom_hybrid] schema_mode = airflow3";
                case BINARY -> "this is an Airflow 2 database: set [xcom_hybrid] schema_mode = airflow2";
                default -> "not a layout xcom-hybrid knows";
            };
            throw new MetadataStoreException("Table xcom in " + description + " has a " + name(actual) + " value column, not "
                    + name(expected) + " as Airflow " + version + " declares it: " + hint);
        }
    }

    private static String name(ValueColumn column)
    {
        return switch (column) {
            case BINARY -> "binary";
            case JSON -> "JSON";
            case MISSING -> "missing";
            case OTHER -> "differently typed";
        };
    }

    /** Deletes the row of {@code key} (returning it) and inserts the new one, inside the caller's transaction. */
    protected Optional<StoredXCom> replace(Connection connection, XComKey key, byte[] value, Instant timestamp)
            throws SQLException
    {
        if (config.schemaMode() == SchemaMode.AIRFLOW2) {
            return replaceAirflow2(connection, key, value, timestamp);
        }
        return deleteThenInsert(connection, key, overwrite -> withStatement(connection, "INSERT INTO " + table
                + " (dag_id, run_id, task_id, map_index, \"key\", value, \"timestamp\") VALUES (?, ?, ?, ?, ?, ?, ?) "
                + onConflict(overwrite, "dag_id, run_id, task_id, map_index, \"key\""), insert -> {
                    setIdentity(insert, 1, key);
                    insert.setBytes(6, value);
                    setTimestamp(insert, 7, timestamp);
                    return insert.executeUpdate();
                }));
    }

    /**
     * Airflow 2's {@code BaseXCom.set}: {@code dag_run_id} from {@code dag_run} (an error when the run does not exist),
     * then delete and insert. The insert fails when the task instance row is missing (foreign key).
     */
    private Optional<StoredXCom> replaceAirflow2(Connection connection, XComKey key, byte[] value, Instant timestamp)
            throws SQLException
    {
        long dagRunId;
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM dag_run WHERE dag_id = ? AND run_id = ?")) {
            select.setString(1, key.dagId());
            select.setString(2, key.runId());
            try (ResultSet resultSet = select.executeQuery()) {
                if (!resultSet.next()) {
                    throw dagRunNotFound(key);
                }
                dagRunId = resultSet.getLong(1);
            }
        }
        return deleteThenInsert(connection, key, overwrite -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO xcom (dag_run_id, task_id, map_index, \"key\", dag_id, run_id, "
                    + "value, \"timestamp\") VALUES (?, ?, ?, ?, ?, ?, ?, ?) " + onConflict(overwrite, "dag_run_id, task_id, map_index, \"key\""))) {
                insert.setLong(1, dagRunId);
                insert.setString(2, key.taskId());
                insert.setInt(3, key.mapIndex());
                insert.setString(4, key.key());
                insert.setString(5, key.dagId());
                insert.setString(6, key.runId());
                insert.setBytes(7, value);
                setTimestamp(insert, 8, timestamp);
                return insert.executeUpdate();
            }
            catch (SQLException e) {
                if (isForeignKeyViolation(e)) {
                    throw taskInstanceNotFound(key, e);
                }
                throw e;
            }
        });
    }

    protected MetadataStoreException dagRunNotFound(XComKey key)
    {
        return new MetadataStoreException("Cannot put " + key + " in " + description + ": DAG run not found (no dag_run row with dag_id="
                + key.dagId() + ", run_id=" + key.runId() + "); Airflow 2 keeps XComs only for existing DAG runs");
    }

    protected MetadataStoreException taskInstanceNotFound(XComKey key, SQLException e)
    {
        return new MetadataStoreException("Cannot put " + key + " in " + description + ": task instance not found (no task_instance row "
                + "with dag_id=" + key.dagId() + ", task_id=" + key.taskId() + ", run_id=" + key.runId() + ", map_index="
                + key.mapIndex() + "); Airflow 2's xcom table references task_instance", e);
    }

    /**
     * An {@code INSERT ... ON CONFLICT DO NOTHING} (or, with {@code overwrite}, {@code DO UPDATE}): returns the number of
     * rows inserted or updated.
     */
    @FunctionalInterface
    protected interface Insert
    {
        int run(boolean overwrite)
                throws SQLException;
    }

    /** The conflict clause, in the syntax PostgreSQL and SQLite share. */
    private static String onConflict(boolean overwrite, String primaryKey)
    {
        return overwrite
                ? "ON CONFLICT (" + primaryKey + ") DO UPDATE SET value = excluded.value, \"timestamp\" = excluded.\"timestamp\""
                : "ON CONFLICT DO NOTHING";
    }

    /**
     * Deletes the row of {@code key} and inserts the new one, as Airflow's {@code BaseXCom.set} does. A writer that
     * takes no lock (Airflow itself) may commit a row for the same key between our delete and insert; the insert then
     * does nothing and the delete runs again, now seeing and locking that row, so the put neither fails nor loses it.
     *
     * @return the last row deleted: with writers that delete before they insert, at most one row is ever deleted here
     */
    protected Optional<StoredXCom> deleteThenInsert(Connection connection, XComKey key, Insert insert)
            throws SQLException
    {
        Optional<StoredXCom> replaced = Optional.empty();
        for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<StoredXCom> deleted = deleteRow(connection, key);
            if (deleted.isPresent()) {
                replaced = deleted;
            }
            if (insert.run(false) == 1) {
                return replaced;
            }
        }
        // A writer replacing the same key in a loop keeps winning the gap between delete and insert: overwrite its row
        // in place (atomic). What that row referenced is not known here, so at worst it becomes an orphan for gc.
        Optional<StoredXCom> deleted = deleteRow(connection, key);
        insert.run(true);
        return deleted.isPresent() ? deleted : replaced;
    }

    /** What a put replaced: the old row, if there was one. */
    protected record Replacement(Optional<StoredXCom> row)
    {
        public Replacement
        {
            requireNonNull(row, "row is null");
        }
    }

    /**
     * Whether {@link #putInOneStatement} may replace rows in this store; when false every put takes the locked
     * transaction ({@link #lockKey}, then {@link #replace}).
     */
    protected boolean putsInOneStatement()
    {
        return false;
    }

    /**
     * Replaces the row of {@code key} in one statement that commits by itself, returning the replaced row to this
     * writer alone, or returns empty having written nothing when a concurrent writer of the same XCom got in the way;
     * the put then takes the locked transaction. Any transaction it opens is over when it returns or throws.
     */
    protected Optional<Replacement> putInOneStatement(Connection connection, XComKey key, byte[] value, Instant timestamp)
            throws SQLException
    {
        return Optional.empty();
    }

    @Override
    public Optional<StoredXCom> put(XComKey key, byte[] value)
    {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        checkWritable("put", key);
        checkLengths(key);
        if (putsInOneStatement()) {
            try {
                Optional<Replacement> replacement = inOneStatement("put", key, connection -> putInOneStatement(connection, key, value, now()));
                if (replacement.isPresent()) {
                    return replacement.get().row();
                }
            }
            catch (SQLException e) {
                if (!isBrokenConnection(e)) {
                    throw translate("put", key, e);
                }
                // Whether a statement whose connection broke committed is unknown; the locked put below then replaces
                // this put's own row, and the row it really replaced becomes an orphan for gc, as after a crash.
            }
        }
        return inTransaction("put", key, true, connection -> {
            lockKey(connection, key);
            return replace(connection, key, value, now());
        });
    }

    /** Airflow's column sizes (ID_LEN = 250, key 512), enforced alike on every database. */
    private static void checkLengths(XComKey key)
    {
        checkLength(key, "dag_id", key.dagId(), 250);
        checkLength(key, "run_id", key.runId(), 250);
        checkLength(key, "task_id", key.taskId(), 250);
        checkLength(key, "key", key.key(), 512);
    }

    private static void checkLength(XComKey key, String name, String value, int limit)
    {
        int length = value.codePointCount(0, value.length());
        if (length > limit) {
            throw new MetadataStoreException("Cannot put " + key + ": " + name + " has " + length + " characters, more than the "
                    + limit + " of Airflow's xcom table");
        }
    }

    @Override
    public Optional<StoredXCom> get(XComKey key)
    {
        return select(key, "SELECT " + valueExpression() + ", \"timestamp\" FROM " + table + " WHERE " + identity,
                resultSet -> new StoredXCom(key, readValue(resultSet, 1), readTimestamp(resultSet, 2)));
    }

    @Override
    public Optional<byte[]> getValue(XComKey key)
    {
        // no timestamp: parsing it was a tenth of a small pull on SQLite
        return select(key, "SELECT " + valueExpression() + " FROM " + table + " WHERE " + identity, resultSet -> readValue(resultSet, 1));
    }

    @FunctionalInterface
    private interface RowReader<T>
    {
        T read(ResultSet resultSet)
                throws SQLException;
    }

    /** The row of {@code key} that {@code query} selects, in one statement. */
    private <T> Optional<T> select(XComKey key, String query, RowReader<T> reader)
    {
        requireNonNull(key, "key is null");
        Transaction<Optional<T>> select = connection -> withStatement(connection, query, statement -> {
            setIdentity(statement, 1, key);
            try (ResultSet resultSet = statement.executeQuery()) {
                return resultSet.next() ? Optional.of(reader.read(resultSet)) : Optional.empty();
            }
        });
        try {
            return inOneStatement("get", key, select);
        }
        catch (SQLException e) {
            if (!isBrokenConnection(e)) {
                throw translate("get", key, e);
            }
        }
        // a pooled connection the server closed: a read is safe to repeat on a fresh one
        try {
            return inOneStatement("get", key, select);
        }
        catch (SQLException e) {
            throw translate("get", key, e);
        }
    }

    @Override
    public Optional<StoredXCom> delete(XComKey key)
    {
        requireNonNull(key, "key is null");
        checkWritable("delete", key);
        return inTransaction("delete", key, true, connection -> {
            lockKey(connection, key);
            return deleteRow(connection, key);
        });
    }

    protected Optional<StoredXCom> deleteRow(Connection connection, XComKey key)
            throws SQLException
    {
        return withStatement(connection, "DELETE FROM " + table + " WHERE " + identity + " RETURNING " + valueExpression() + ", \"timestamp\"", delete -> {
            setIdentity(delete, 1, key);
            try (ResultSet resultSet = delete.executeQuery()) {
                if (!resultSet.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredXCom(key, readValue(resultSet, 1), readTimestamp(resultSet, 2)));
            }
        });
    }

    /** A body using one prepared statement. */
    @FunctionalInterface
    protected interface StatementBody<T>
    {
        T run(PreparedStatement statement)
                throws SQLException;
    }

    /**
     * Runs {@code body} with {@code sql} prepared on {@code connection}: the statements of every get and put, which a
     * dialect may keep prepared across pool checkouts. By default prepared and closed each time.
     */
    protected <T> T withStatement(Connection connection, String sql, StatementBody<T> body)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            return body.run(statement);
        }
    }

    @Override
    public List<StoredXCom> deleteAll(XComFilter filter)
    {
        requireNonNull(filter, "filter is null");
        checkWritable("deleteAll", filter);
        return inTransaction("deleteAll", filter, true, connection -> {
            lockRows(connection, filter);
            List<StoredXCom> rows = new ArrayList<>();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + where(filter)
                    + " RETURNING dag_id, run_id, task_id, map_index, \"key\", " + valueExpression() + ", \"timestamp\"")) {
                setFilter(delete, filter);
                try (ResultSet resultSet = delete.executeQuery()) {
                    while (resultSet.next()) {
                        rows.add(readRow(resultSet));
                    }
                }
            }
            rows.sort(Comparator.comparing(StoredXCom::key, IDENTITY_ORDER));
            return rows;
        });
    }

    @Override
    public List<StoredXCom> list(XComFilter filter)
    {
        requireNonNull(filter, "filter is null");
        return inTransaction("list", filter, false, connection -> {
            List<StoredXCom> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT dag_id, run_id, task_id, map_index, \"key\", "
                    + valueExpression() + ", \"timestamp\" FROM " + table + where(filter))) {
                setFilter(select, filter);
                try (ResultSet resultSet = select.executeQuery()) {
                    while (resultSet.next()) {
                        rows.add(readRow(resultSet));
                    }
                }
            }
            // sorted here, not by ORDER BY: the database's collation may differ from Java's String order
            rows.sort(Comparator.comparing(StoredXCom::key, IDENTITY_ORDER));
            return rows;
        });
    }

    @Override
    public List<StoredXCom> listAny(Collection<XComFilter> filters)
    {
        requireNonNull(filters, "filters is null");
        List<XComFilter> all = List.copyOf(filters);
        if (all.isEmpty()) {
            return List.of();
        }
        return inTransaction("list", all.size() + " filters starting with " + all.get(0), false, connection -> {
            Map<XComKey, StoredXCom> rows = new LinkedHashMap<>();
            for (int start = 0; start < all.size(); start += FILTERS_PER_STATEMENT) {
                List<XComFilter> batch = all.subList(start, Math.min(all.size(), start + FILTERS_PER_STATEMENT));
                StringBuilder sql = new StringBuilder("SELECT dag_id, run_id, task_id, map_index, \"key\", " + valueExpression() + ", \"timestamp\" FROM " + table + " WHERE ");
                for (int i = 0; i < batch.size(); i++) {
                    sql.append(i == 0 ? "(" : " OR (").append(conditions(batch.get(i))).append(')');
                }
                try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                    int index = 1;
                    for (XComFilter filter : batch) {
                        index = bindFilter(select, index, filter);
                    }
                    try (ResultSet resultSet = select.executeQuery()) {
                        while (resultSet.next()) {
                            StoredXCom row = readRow(resultSet);
                            rows.putIfAbsent(row.key(), row);
                        }
                    }
                }
            }
            return List.copyOf(rows.values());
        });
    }

    /** Streams the rows through a cursor of {@value #SCAN_FETCH_SIZE} rows at a time. */
    @Override
    public void forEach(XComFilter filter, Consumer<StoredXCom> consumer)
    {
        requireNonNull(filter, "filter is null");
        requireNonNull(consumer, "consumer is null");
        inTransaction("scan", filter, false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT dag_id, run_id, task_id, map_index, \"key\", "
                    + valueExpression() + ", \"timestamp\" FROM " + table + where(filter))) {
                // PostgreSQL's driver reads through a cursor only with a fetch size inside a transaction (begin turns autocommit off)
                select.setFetchSize(SCAN_FETCH_SIZE);
                setFilter(select, filter);
                try (ResultSet resultSet = select.executeQuery()) {
                    while (resultSet.next()) {
                        consumer.accept(readRow(resultSet));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void check()
    {
        inTransaction("check", "connection", false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1");
                    ResultSet resultSet = select.executeQuery()) {
                resultSet.next();
            }
            return null;
        });
    }

    @Override
    public String describe()
    {
        return description;
    }

    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true)) {
            pool.close();
        }
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{" + description + "}";
    }

    protected StoredXCom readRow(ResultSet resultSet)
            throws SQLException
    {
        XComKey key = new XComKey(resultSet.getString(1), resultSet.getString(2), resultSet.getString(3), resultSet.getInt(4), resultSet.getString(5));
        return new StoredXCom(key, readValue(resultSet, 6), readTimestamp(resultSet, 7));
    }

    protected static void setIdentity(PreparedStatement statement, int first, XComKey key)
            throws SQLException
    {
        statement.setString(first, key.dagId());
        statement.setString(first + 1, key.runId());
        statement.setString(first + 2, key.taskId());
        statement.setInt(first + 3, key.mapIndex());
        statement.setString(first + 4, key.key());
    }

    /** Whether {@code query}, with {@code parameters} bound in order, returns a row. */
    protected static boolean returnsRow(Connection connection, String query, String... parameters)
            throws SQLException
    {
        try (PreparedStatement select = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            try (ResultSet resultSet = select.executeQuery()) {
                return resultSet.next();
            }
        }
    }

    protected static String where(XComFilter filter)
    {
        List<String> conditions = new ArrayList<>();
        filter.dagId().ifPresent(value -> conditions.add("dag_id = ?"));
        filter.runId().ifPresent(value -> conditions.add("run_id = ?"));
        filter.taskId().ifPresent(value -> conditions.add("task_id = ?"));
        filter.mapIndex().ifPresent(value -> conditions.add("map_index = ?"));
        filter.key().ifPresent(value -> conditions.add("\"key\" = ?"));
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** The conditions of {@code filter} joined with AND, or a condition that is always true. */
    private static String conditions(XComFilter filter)
    {
        String where = where(filter);
        return where.isEmpty() ? "1 = 1" : where.substring(" WHERE ".length());
    }

    protected static void setFilter(PreparedStatement statement, XComFilter filter)
            throws SQLException
    {
        bindFilter(statement, 1, filter);
    }

    /** Binds the values of {@code filter} from parameter {@code index} on, in the order of {@link #where}; returns the next free index. */
    private static int bindFilter(PreparedStatement statement, int index, XComFilter filter)
            throws SQLException
    {
        if (filter.dagId().isPresent()) {
            statement.setString(index++, filter.dagId().get());
        }
        if (filter.runId().isPresent()) {
            statement.setString(index++, filter.runId().get());
        }
        if (filter.taskId().isPresent()) {
            statement.setString(index++, filter.taskId().get());
        }
        if (filter.mapIndex().isPresent()) {
            statement.setInt(index++, filter.mapIndex().getAsInt());
        }
        if (filter.key().isPresent()) {
            statement.setString(index++, filter.key().get());
        }
        return index;
    }

    /** Microseconds: what both databases store, so a returned timestamp equals the stored one. */
    protected static Instant now()
    {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Runs {@code body} in one transaction, retrying retryable conflicts a bounded number of times.
     * {@link MetadataStoreException}s thrown by the body pass through after the rollback.
     */
    protected <T> T inTransaction(String operation, Object subject, boolean write, Transaction<T> body)
    {
        if (closed.get()) {
            throw new MetadataStoreException("Cannot " + operation + " " + subject + ": the metadata store for " + description + " is closed");
        }
        ensureSchema(operation, subject);
        return execute(operation, subject, write, body);
    }

    /** Runs {@code body}, one statement that is a transaction by itself, on a pooled autocommit connection. */
    private <T> T inOneStatement(String operation, Object subject, Transaction<T> body)
            throws SQLException
    {
        if (closed.get()) {
            throw new MetadataStoreException("Cannot " + operation + " " + subject + ": the metadata store for " + description + " is closed");
        }
        ensureSchema(operation, subject);
        try (Connection connection = pool.getConnection()) {
            return body.run(connection);
        }
    }

    /** Prepares the table before the first operation; failures are reported as failures of that operation. */
    private void ensureSchema(String operation, Object subject)
    {
        if (schemaReady) {
            return;
        }
        synchronized (schemaLock) {
            if (!schemaReady) {
                try {
                    checkBeforeConnecting();
                }
                catch (MetadataStoreException e) {
                    throw new MetadataStoreException("Cannot " + operation + " " + subject + ": " + e.getMessage(), e);
                }
                execute(operation, subject, true, connection -> {
                    try {
                        prepareSchema(connection);
                    }
                    catch (MetadataStoreException e) {
                        throw new MetadataStoreException("Cannot " + operation + " " + subject + ": " + e.getMessage(), e);
                    }
                    return null;
                });
                schemaReady = true;
            }
        }
    }

    private <T> T execute(String operation, Object subject, boolean write, Transaction<T> body)
    {
        boolean reconnected = false;
        for (int attempt = 1; ; attempt++) {
            boolean committing = false;
            try (Connection connection = pool.getConnection()) {
                try {
                    begin(connection, write);
                    T result = body.run(connection);
                    committing = true;
                    commit(connection);
                    return result;
                }
                catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            }
            catch (MetadataStoreException e) {
                throw e;
            }
            catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && isRetryable(e)) {
                    backOff(attempt);
                    continue;
                }
                // a pooled connection the server closed (restart, failover): nothing was committed unless the commit
                // itself failed, so one more attempt on a fresh connection is safe
                if (!reconnected && !committing && isBrokenConnection(e)) {
                    reconnected = true;
                    continue;
                }
                throw translate(operation, subject, e);
            }
        }
    }

    static boolean isBrokenConnection(SQLException e)
    {
        if (e instanceof SQLTransientConnectionException) {
            // the pool already waited the connection timeout for a connection
            return false;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    private void rollbackQuietly(Connection connection, Exception failure)
    {
        try {
            rollback(connection);
        }
        catch (SQLException | RuntimeException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void backOff(int attempt)
    {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 2));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataStoreException("Interrupted while retrying a metadata database transaction", e);
        }
    }

    /** Whether a table of this name exists where the store looks for its tables. */
    protected abstract boolean tableExists(Connection connection, String name)
            throws SQLException;

    protected abstract boolean columnExists(Connection connection, String tableName, String column)
            throws SQLException;

    /**
     * Brings the standalone table to {@code migrations.size()} (migration {@code i} creates version {@code i + 1}),
     * recording the version in {@value #VERSION_TABLE}. The caller holds a lock that serializes migrations across
     * processes. A recorded version newer than this code knows is an error: writing through an old layout could
     * corrupt what newer code relies on.
     */
    protected void migrateStandalone(Connection connection, List<List<String>> migrations)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (table_name VARCHAR(63) NOT NULL PRIMARY KEY, version INTEGER NOT NULL)");
        }
        int current = 0;
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM " + VERSION_TABLE + " WHERE table_name = ?")) {
            select.setString(1, table);
            try (ResultSet resultSet = select.executeQuery()) {
                if (resultSet.next()) {
                    current = resultSet.getInt(1);
                }
            }
        }
        if (current > migrations.size()) {
            throw new MetadataStoreException("Table " + table + " in " + description + " has schema version " + current
                    + ", newer than version " + migrations.size() + " known to this xcom-hybrid; upgrade xcom-hybrid "
                    + "(refusing to use the table, recorded in " + VERSION_TABLE + ")");
        }
        if (current == 0 && tableExists(connection, table)) {
            String hint = columnExists(connection, table, "dag_run_id")
                    ? "it looks like Airflow's own xcom table: set [xcom_hybrid] schema_mode = airflow2 (Airflow 2) or airflow3 "
                    + "(Airflow 3, read only), or choose another [xcom_hybrid] " + MetadataStoreConfig.TABLE
                    : "choose another [xcom_hybrid] " + MetadataStoreConfig.TABLE;
            throw new MetadataStoreException("Table " + table + " in " + description + " exists but was not created by xcom-hybrid "
                    + "(no row in " + VERSION_TABLE + "): " + hint);
        }
        if (current == migrations.size()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (int version = current + 1; version <= migrations.size(); version++) {
                for (String sql : migrations.get(version - 1)) {
                    statement.execute(sql.replace("${table}", table));
                }
            }
        }
        String sql = current == 0
                ? "INSERT INTO " + VERSION_TABLE + " (version, table_name) VALUES (?, ?)"
                : "UPDATE " + VERSION_TABLE + " SET version = ? WHERE table_name = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setInt(1, migrations.size());
            update.setString(2, table);
            update.executeUpdate();
        }
    }

    /** Builds the exception for a failed operation; subclasses add dialect-specific explanations. */
    protected MetadataStoreException translate(String operation, Object subject, SQLException e)
    {
        String reason = explain(e);
        return new MetadataStoreException("Failed to " + operation + " " + subject + " in " + description + ": " + reason, e);
    }

    protected String explain(SQLException e)
    {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SQLTransientConnectionException) {
            return "no database connection within " + config.connectionTimeout().toMillis() + "ms (is the database running and reachable?): "
                    + message + causeMessage(e);
        }
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return "lost the database connection (" + state + "): " + message;
        }
        if ("22001".equals(state)) {
            return "a value is too long for its column (dag_id, run_id and task_id hold at most 250 characters, key 512): " + message;
        }
        return message;
    }

    private static String causeMessage(Throwable e)
    {
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
    }
}
