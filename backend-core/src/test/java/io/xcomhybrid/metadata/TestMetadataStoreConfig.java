package io.xcomhybrid.metadata;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestMetadataStoreConfig
{
    @TempDir
    Path temp;

    @Test
    void defaults()
    {
        MetadataStoreConfig config = MetadataStoreConfig.from(AirflowConfig.of(Map.of("database", Map.of("sql_alchemy_conn", "postgresql://a:b@db/airflow")), Map.of()));
        assertThat(config.url().dialect()).isEqualTo(DatabaseUrl.Dialect.POSTGRESQL);
        assertThat(config.schemaMode()).isEqualTo(SchemaMode.STANDALONE);
        assertThat(config.table()).isEqualTo("xcom");
        assertThat(config.schema()).isEmpty();
        assertThat(config.poolSize()).isEqualTo(4);
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.busyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.toString()).doesNotContain(":b@");
    }

    @Test
    void everyKeyFromFileAndEnvironment()
            throws IOException
    {
        Path cfg = temp.resolve("airflow.cfg");
        Files.writeString(cfg, """
                [database]
                sql_alchemy_conn = sqlite:////tmp/airflow.db
                sql_alchemy_schema = airflow

                [xcom_hybrid]
                schema_mode = airflow2
                metadata_pool_size = 9
                metadata_connection_timeout = 1500ms
                metadata_busy_timeout = 2m
                """);
        MetadataStoreConfig config = MetadataStoreConfig.from(AirflowConfig.load(Optional.of(cfg), Map.of(
                "AIRFLOW__XCOM_HYBRID__SQL_ALCHEMY_CONN", "postgresql+psycopg2://x:y@db:5432/xcoms")));
        assertThat(config.url().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/xcoms");
        assertThat(config.schemaMode()).isEqualTo(SchemaMode.AIRFLOW2);
        assertThat(config.schema()).contains("airflow");
        assertThat(config.poolSize()).isEqualTo(9);
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.busyTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void legacyCoreSetting()
    {
        MetadataStoreConfig config = MetadataStoreConfig.from(AirflowConfig.of(Map.of("core", Map.of("sql_alchemy_conn", "sqlite:////x/airflow.db")), Map.of()));
        assertThat(config.url().sqliteFile()).contains(Path.of("/x/airflow.db"));
    }

    @Test
    void errorsNameTheSetting()
            throws IOException
    {
        assertThatThrownBy(() -> MetadataStoreConfig.from(AirflowConfig.of(Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[database] sql_alchemy_conn");

        Path cfg = temp.resolve("bad.cfg");
        Files.writeString(cfg, """
                [database]
                sql_alchemy_conn = mysql://airflow:hunter2@db/airflow
                """);
        assertThatThrownBy(() -> MetadataStoreConfig.from(AirflowConfig.load(Optional.of(cfg), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[database] sql_alchemy_conn (" + cfg + ":2)")
                .hasMessageContaining("unsupported database 'mysql'")
                .hasMessageNotContaining("hunter2");

        assertThatThrownBy(() -> MetadataStoreConfig.from(config("schema_mode", "airflow4")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[xcom_hybrid] schema_mode")
                .hasMessageContaining("standalone, airflow2 or airflow3");
        assertThatThrownBy(() -> MetadataStoreConfig.from(config("metadata_pool_size", "0")))
                .hasMessageContaining("[xcom_hybrid] metadata_pool_size");
        assertThatThrownBy(() -> MetadataStoreConfig.from(config("metadata_pool_size", "many")))
                .hasMessageContaining("[xcom_hybrid] metadata_pool_size");
        assertThatThrownBy(() -> MetadataStoreConfig.from(config("metadata_connection_timeout", "10ms")))
                .hasMessageContaining("[xcom_hybrid] metadata_connection_timeout");
        assertThatThrownBy(() -> MetadataStoreConfig.from(config("metadata_table", "Bad-Name")))
                .hasMessageContaining("[xcom_hybrid] metadata_table");

        assertThatThrownBy(() -> MetadataStoreConfig.from(AirflowConfig.of(Map.of(
                "database", Map.of("sql_alchemy_conn", "postgresql://db/airflow"),
                "xcom_hybrid", Map.of("schema_mode", "airflow3", "metadata_table", "mine")), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("always uses Airflow's table 'xcom'");
    }

    private static AirflowConfig config(String key, String value)
    {
        return AirflowConfig.of(Map.of("database", Map.of("sql_alchemy_conn", "postgresql://db/airflow"), "xcom_hybrid", Map.of(key, value)), Map.of());
    }
}
