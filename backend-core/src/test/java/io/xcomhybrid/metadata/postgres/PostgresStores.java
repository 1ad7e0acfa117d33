package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStores;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.testing.PostgresFixture;

import java.util.HashMap;
import java.util.Map;

/** Stores configured the way a user configures them: Airflow settings with a SQLAlchemy URL. */
final class PostgresStores
{
    private PostgresStores() {}

    static MetadataStore create(PostgresFixture.Endpoint endpoint, String schema, SchemaMode mode)
    {
        return create(endpoint, schema, mode, Map.of());
    }

    /** With libpq parameters appended to the URL, e.g. {@code sslmode=verify-full&sslrootcert=/ca.pem}. */
    static MetadataStore createWithQuery(PostgresFixture.Endpoint endpoint, String schema, SchemaMode mode, String query)
    {
        return MetadataStores.create(AirflowConfig.of(Map.of(
                "database", Map.of("sql_alchemy_conn", endpoint.sqlAlchemyUrl() + "?" + query, "sql_alchemy_schema", schema),
                "xcom_hybrid", Map.of("schema_mode", mode.configName(), "metadata_connection_timeout", "5s")), Map.of()));
    }

    static MetadataStore create(PostgresFixture.Endpoint endpoint, String schema, SchemaMode mode, Map<String, String> options)
    {
        Map<String, String> hybrid = new HashMap<>(options);
        hybrid.put("schema_mode", mode.configName());
        return MetadataStores.create(AirflowConfig.of(Map.of(
                "database", Map.of("sql_alchemy_conn", endpoint.sqlAlchemyUrl(), "sql_alchemy_schema", schema),
                "xcom_hybrid", hybrid), Map.of()));
    }
}
