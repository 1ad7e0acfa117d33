package io.xcomhybrid;

import java.nio.file.Path;
import java.util.Map;

class TestXComsGcOnSqlite
        extends AbstractTestXComsGc
{
    @Override
    protected Map<String, Map<String, String>> databaseSettings(Path temp)
    {
        return Map.of("database", Map.of("sql_alchemy_conn", "sqlite:///" + temp.resolve("xcom.db")));
    }
}
