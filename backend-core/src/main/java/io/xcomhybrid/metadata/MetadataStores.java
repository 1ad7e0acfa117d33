package io.xcomhybrid.metadata;

import io.xcomhybrid.config.AirflowConfig;

/** Placeholder until the SQLite/PostgreSQL stores land. */
public final class MetadataStores
{
    private MetadataStores() {}

    public static MetadataStore create(AirflowConfig config)
    {
        throw new UnsupportedOperationException("metadata stores are not built yet");
    }
}
