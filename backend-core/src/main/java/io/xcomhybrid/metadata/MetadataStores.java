package io.xcomhybrid.metadata;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.metadata.jdbc.PostgresMetadataStore;
import io.xcomhybrid.metadata.jdbc.SqliteMetadataStore;

/**
 * Creates the metadata store that Airflow configuration names: SQLite or PostgreSQL from
 * {@code [database] sql_alchemy_conn} (or {@code [xcom_hybrid] sql_alchemy_conn}), laid out per
 * {@code [xcom_hybrid] schema_mode}. See {@link MetadataStoreConfig} for every key and its default.
 *
 * <p>The returned store owns a connection pool; close it once. Creating it does not connect: the first operation
 * (or {@link MetadataStore#check()}) reports an unreachable database.
 */
public final class MetadataStores
{
    private MetadataStores() {}

    /** @throws ConfigException naming the file, line and key of a missing or invalid setting */
    public static MetadataStore create(AirflowConfig config)
    {
        return create(MetadataStoreConfig.from(config));
    }

    public static MetadataStore create(MetadataStoreConfig config)
    {
        return switch (config.url().dialect()) {
            case SQLITE -> new SqliteMetadataStore(config);
            case POSTGRESQL -> new PostgresMetadataStore(config);
        };
    }
}
