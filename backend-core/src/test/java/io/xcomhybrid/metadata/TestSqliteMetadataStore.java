package io.xcomhybrid.metadata;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.metadata.jdbc.JdbcMetadataStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestSqliteMetadataStore
        extends AbstractMetadataStoreTest
{
    @TempDir
    static Path temp;

    private Path file;

    @BeforeAll
    void setUp()
    {
        file = temp.resolve("xcom.db");
        openStores();
    }

    private static MetadataStore storeFor(Path database)
    {
        return MetadataStores.create(AirflowConfig.of(Map.of("database", Map.of("sql_alchemy_conn", "sqlite:///" + database)), Map.of()));
    }

    @Override
    protected MetadataStore newStore()
    {
        return storeFor(file);
    }

    @Override
    protected Map<String, String> processEnvironment()
    {
        return Map.of("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "sqlite:///" + file);
    }

    @Test
    void createsTableInWalModeWithAirflowTimestampText()
            throws SQLException
    {
        XComKey key = XComKey.of(newDagId(), "run", "task");
        store().put(key, json("1"));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            try (ResultSet resultSet = statement.executeQuery("PRAGMA journal_mode")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getString(1)).isEqualTo("wal");
            }
            try (ResultSet resultSet = statement.executeQuery("SELECT \"timestamp\", typeof(value), value FROM xcom WHERE dag_id = '" + key.dagId() + "'")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getString(1)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
                assertThat(resultSet.getString(2)).isEqualTo("blob");
                assertThat(resultSet.getBytes(3)).isEqualTo(json("1"));
            }
            try (ResultSet resultSet = statement.executeQuery("SELECT version FROM " + JdbcMetadataStore.VERSION_TABLE + " WHERE table_name = 'xcom'")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void newerSchemaVersionIsRefusedWithoutWriting()
            throws SQLException
    {
        Path database = temp.resolve("future.db");
        try (MetadataStore first = storeFor(database)) {
            first.check();
            first.list(XComFilter.ALL);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + JdbcMetadataStore.VERSION_TABLE + " SET version = 99 WHERE table_name = 'xcom'");
        }
        XComKey key = XComKey.of(newDagId(), "run", "task");
        try (MetadataStore later = storeFor(database)) {
            assertThatThrownBy(() -> later.put(key, json("1")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("schema version 99")
                    .hasMessageContaining("newer than version 1")
                    .hasMessageContaining(database.toString());
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM xcom")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getInt(1)).isZero();
        }
    }

    @Test
    void refusesAirflowsOwnXComTable()
            throws SQLException
    {
        Path database = temp.resolve("airflow.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE xcom (dag_run_id INTEGER NOT NULL, task_id VARCHAR(250) NOT NULL, map_index INTEGER NOT NULL, "
                    + "key VARCHAR(512) NOT NULL, dag_id VARCHAR(250) NOT NULL, run_id VARCHAR(250) NOT NULL, value BLOB, timestamp DATETIME NOT NULL, "
                    + "PRIMARY KEY (dag_run_id, task_id, map_index, key))");
        }
        try (MetadataStore airflow = storeFor(database)) {
            assertThatThrownBy(() -> airflow.get(XComKey.of("dag", "run", "task")))
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("was not created by xcom-hybrid")
                    .hasMessageContaining("Airflow's own xcom table")
                    .hasMessageContaining("metadata_table");
        }
        MetadataStoreConfig other = MetadataStoreConfig.of(DatabaseUrl.parse("sqlite:///" + database), SchemaMode.STANDALONE).withTable("xcom_hybrid");
        try (MetadataStore separate = MetadataStores.create(other)) {
            XComKey key = XComKey.of("dag", "run", "task");
            separate.put(key, json("1"));
            assertThat(separate.get(key)).isPresent();
        }
    }

    @Test
    void inMemoryDatabaseIsSharedByTheStoresThreads()
            throws Exception
    {
        try (MetadataStore memory = MetadataStores.create(AirflowConfig.of(Map.of("database", Map.of("sql_alchemy_conn", "sqlite://")), Map.of()))) {
            XComKey key = XComKey.of("dag", "run", "task");
            Thread writer = new Thread(() -> memory.put(key, json("\"from another thread\"")));
            writer.start();
            writer.join();
            assertThat(memory.get(key)).map(StoredXCom::value).contains(json("\"from another thread\""));
            assertThat(memory.describe()).isEqualTo("SQLite in-memory database (table xcom, schema_mode standalone)");
        }
    }

    @Test
    void missingDirectoryIsCreated()
    {
        Path database = temp.resolve("no/such/dir/xcom.db");
        try (MetadataStore created = storeFor(database)) {
            created.check();
        }
        assertThat(Files.exists(database)).isTrue();
    }

    @Test
    void uncreatableDirectoryIsNamed()
            throws Exception
    {
        Path blocker = temp.resolve("a-file");
        Files.writeString(blocker, "x");
        Path database = blocker.resolve("dir/xcom.db");
        assertThatThrownBy(() -> {
            try (MetadataStore store = storeFor(database)) {
                store.check();
            }
        })
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining(database.toString());
        assertThat(Files.exists(database)).isFalse();
    }

    @Test
    void describeNamesTheFile()
    {
        assertThat(store().describe()).isEqualTo("SQLite " + file + " (table xcom, schema_mode standalone)");
    }
}
