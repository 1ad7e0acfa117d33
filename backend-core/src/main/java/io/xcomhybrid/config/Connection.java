package io.xcomhybrid.config;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An Airflow connection as read from {@code AIRFLOW_CONN_<CONN_ID>} (URI or JSON form).
 * {@link #toString()} never shows the password or extra values.
 *
 * @param extra the parsed {@code extra} JSON object; values are JSON types (String, Number, Boolean, Map, List)
 */
public record Connection(
        String connId,
        String connType,
        Optional<String> host,
        Optional<String> login,
        Optional<String> password,
        Optional<String> schema,
        Optional<Integer> port,
        Map<String, Object> extra)
{
    public Connection
    {
        requireNonNull(connId, "connId is null");
        requireNonNull(connType, "connType is null");
        requireNonNull(host, "host is null");
        requireNonNull(login, "login is null");
        requireNonNull(password, "password is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(port, "port is null");
        extra = Map.copyOf(requireNonNull(extra, "extra is null"));
    }

    /** An extra as a string; numbers and booleans are converted with {@code String.valueOf}. */
    public Optional<String> extraString(String name)
    {
        Object value = extra.get(name);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    @Override
    public String toString()
    {
        return "Connection{connId=" + connId + ", connType=" + connType + ", host=" + host.orElse("")
                + ", login=" + login.orElse("") + ", password=" + (password.isPresent() ? "****" : "")
                + ", extraKeys=" + extra.keySet() + "}";
    }
}
