package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.metadata.AbstractMetadataStoreTest;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.testing.PostgresFixture;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** The contract on the shared PostgreSQL server, in a schema of its own named after the schema mode under test. */
abstract class AbstractPostgresMetadataStoreTest
        extends AbstractMetadataStoreTest
{
    private final SchemaMode mode;
    protected PostgresFixture.Endpoint endpoint;
    protected String schema;

    protected AbstractPostgresMetadataStoreTest(SchemaMode mode)
    {
        this.mode = mode;
    }

    /** Runs before the subclass's setup, which creates its tables (if any) and then opens the stores. */
    @BeforeAll
    protected final void createSchema()
    {
        endpoint = PostgresFixture.shared();
        schema = endpoint.createSchema(mode.configName());
    }

    @Override
    protected Map<String, String> processEnvironment()
    {
        return Map.of(
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", endpoint.sqlAlchemyUrl(),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_SCHEMA", schema,
                "AIRFLOW__XCOM_HYBRID__SCHEMA_MODE", mode.configName());
    }

    @Override
    protected MetadataStore newStore()
    {
        return PostgresStores.create(endpoint, schema, mode);
    }
}
