package io.xcomhybrid.metadata;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.ConfigValue;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Typed settings of the metadata store, read from Airflow configuration. Every key below may also be set as
 * {@code AIRFLOW__XCOM_HYBRID__<KEY>}.
 *
 * @param table the table name; always {@code xcom} in the Airflow modes
 * @param schema the PostgreSQL schema holding the tables ({@code [database] sql_alchemy_schema}); empty means the
 *        server's search path
 */
public record MetadataStoreConfig(
        DatabaseUrl url,
        SchemaMode schemaMode,
        String table,
        Optional<String> schema,
        int poolSize,
        Duration connectionTimeout,
        Duration busyTimeout)
{
    public static final String SECTION = "xcom_hybrid";

    /**
     * The database, as a SQLAlchemy URL or a JDBC URL. Default: Airflow's {@code [database] sql_alchemy_conn} (then the
     * pre-2.3 {@code [core] sql_alchemy_conn}). Set it to keep XComs in a database of their own.
     */
    public static final String SQL_ALCHEMY_CONN = "sql_alchemy_conn";
    /** {@code standalone} (default), {@code airflow2} or {@code airflow3} (read only); see {@link SchemaMode}. */
    public static final String SCHEMA_MODE = "schema_mode";
    /**
     * Table name in standalone mode. Default {@code xcom}. Use another name when the database is Airflow's own, whose
     * {@code xcom} table already exists.
     */
    public static final String TABLE = "metadata_table";
    /** Maximum open connections per process. Default 4; an in-memory SQLite database always uses one. */
    public static final String POOL_SIZE = "metadata_pool_size";
    /**
     * How long an operation waits for a connection (from the pool, and to establish one) before failing. Default
     * {@code 30s}.
     */
    public static final String CONNECTION_TIMEOUT = "metadata_connection_timeout";
    /** SQLite only: how long a write waits for another connection's write lock. Default {@code 30s}. */
    public static final String BUSY_TIMEOUT = "metadata_busy_timeout";

    public static final String DEFAULT_TABLE = "xcom";
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public MetadataStoreConfig
    {
        requireNonNull(url, "url is null");
        requireNonNull(schemaMode, "schemaMode is null");
        requireNonNull(table, "table is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(connectionTimeout, "connectionTimeout is null");
        requireNonNull(busyTimeout, "busyTimeout is null");
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table name must be lower case letters, digits and '_' (at most 63): '" + table + "'");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + poolSize);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout must be at least 250ms: " + connectionTimeout);
        }
    }

    public static MetadataStoreConfig of(DatabaseUrl url, SchemaMode schemaMode)
    {
        return new MetadataStoreConfig(url, schemaMode, DEFAULT_TABLE, Optional.empty(), DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Reads the settings.
     *
     * @throws ConfigException naming the file, line and key (or environment variable) of a missing or invalid setting
     */
    public static MetadataStoreConfig from(AirflowConfig config)
    {
        ConfigValue conn = config.lookup(SECTION, SQL_ALCHEMY_CONN)
                .or(() -> config.lookup("database", "sql_alchemy_conn"))
                .or(() -> config.lookup("core", "sql_alchemy_conn"))
                .filter(value -> !value.value().isBlank())
                .orElseThrow(() -> new ConfigException("No metadata database configured: set [database] sql_alchemy_conn "
                        + "(AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) or [" + SECTION + "] " + SQL_ALCHEMY_CONN));
        DatabaseUrl url;
        try {
            url = DatabaseUrl.parse(conn.value());
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid " + conn.describe() + ": " + e.getMessage());
        }

        SchemaMode mode = SchemaMode.STANDALONE;
        Optional<ConfigValue> modeValue = config.lookup(SECTION, SCHEMA_MODE).filter(value -> !value.value().isBlank());
        if (modeValue.isPresent()) {
            mode = SchemaMode.fromConfigName(modeValue.get().value()).orElseThrow(() -> new ConfigException(
                    "Invalid " + modeValue.get().describe() + ": '" + modeValue.get().displayValue() + "' (use standalone, airflow2 or airflow3)"));
        }

        String table = DEFAULT_TABLE;
        Optional<ConfigValue> tableValue = config.lookup(SECTION, TABLE).filter(value -> !value.value().isBlank());
        if (tableValue.isPresent()) {
            table = tableValue.get().value().trim();
            if (!TABLE_NAME.matcher(table).matches()) {
                throw new ConfigException("Invalid " + tableValue.get().describe() + ": '" + table + "' (lower case letters, digits and '_', at most 63)");
            }
            if (mode != SchemaMode.STANDALONE && !table.equals(DEFAULT_TABLE)) {
                throw new ConfigException("Invalid " + tableValue.get().describe() + ": schema_mode " + mode.configName()
                        + " always uses Airflow's table 'xcom'");
            }
        }

        Optional<String> schema = config.get("database", "sql_alchemy_schema").map(String::trim).filter(value -> !value.isEmpty());

        int poolSize = config.getInt(SECTION, POOL_SIZE, DEFAULT_POOL_SIZE);
        if (poolSize < 1) {
            throw new ConfigException("Invalid " + config.lookup(SECTION, POOL_SIZE).orElseThrow().describe() + ": must be at least 1");
        }
        Duration connectionTimeout = config.getDuration(SECTION, CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT);
        if (connectionTimeout.toMillis() < 250) {
            throw new ConfigException("Invalid " + config.lookup(SECTION, CONNECTION_TIMEOUT).orElseThrow().describe() + ": must be at least 250ms");
        }
        Duration busyTimeout = config.getDuration(SECTION, BUSY_TIMEOUT, DEFAULT_BUSY_TIMEOUT);
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigException("Invalid " + config.lookup(SECTION, BUSY_TIMEOUT).orElseThrow().describe() + ": out of range");
        }
        return new MetadataStoreConfig(url, mode, table, schema, poolSize, connectionTimeout, busyTimeout);
    }

    public MetadataStoreConfig withSchemaMode(SchemaMode mode)
    {
        return new MetadataStoreConfig(url, mode, table, schema, poolSize, connectionTimeout, busyTimeout);
    }

    public MetadataStoreConfig withTable(String name)
    {
        return new MetadataStoreConfig(url, schemaMode, name, schema, poolSize, connectionTimeout, busyTimeout);
    }

    public MetadataStoreConfig withSchema(String name)
    {
        return new MetadataStoreConfig(url, schemaMode, table, Optional.of(name), poolSize, connectionTimeout, busyTimeout);
    }

    public MetadataStoreConfig withPoolSize(int size)
    {
        return new MetadataStoreConfig(url, schemaMode, table, schema, size, connectionTimeout, busyTimeout);
    }

    public MetadataStoreConfig withConnectionTimeout(Duration timeout)
    {
        return new MetadataStoreConfig(url, schemaMode, table, schema, poolSize, timeout, busyTimeout);
    }
}
