package io.xcomhybrid;

import io.xcomhybrid.testing.PostgresFixture;

import java.nio.file.Path;
import java.util.Map;

/** On the shared PostgreSQL server (env vars, Docker or the native server), in a schema of its own. */
class TestXComsGcOnPostgres
        extends AbstractTestXComsGc
{
    @Override
    protected Map<String, Map<String, String>> databaseSettings(Path temp)
    {
        PostgresFixture.Endpoint endpoint = PostgresFixture.shared();
        return Map.of("database", Map.of("sql_alchemy_conn", endpoint.sqlAlchemyUrl(), "sql_alchemy_schema", endpoint.createSchema("gc")));
    }
}
