package io.xcomhybrid.backend;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.store.ObjectStores;

import static java.util.Objects.requireNonNull;

/** What a backend may use: the configuration, the shared object stores (owned by the caller) and the JSON codec. */
public record XComBackendContext(AirflowConfig config, ObjectStores objectStores, XComJson json)
{
    public XComBackendContext
    {
        requireNonNull(config, "config is null");
        requireNonNull(objectStores, "objectStores is null");
        requireNonNull(json, "json is null");
    }
}
