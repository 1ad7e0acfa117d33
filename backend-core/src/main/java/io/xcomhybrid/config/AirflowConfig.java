package io.xcomhybrid.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Airflow-style configuration: an ini file ({@code airflow.cfg}) overridden by {@code AIRFLOW__{SECTION}__{KEY}}
 * environment variables ({@code .} in a section name becomes {@code _}), plus connections from
 * {@code AIRFLOW_CONN_<CONN_ID>}. Section and key names are case-insensitive. Immutable.
 */
public final class AirflowConfig
{
    private final Optional<Path> file;
    private final Map<String, String> environment;
    // "section\0key" (lower case) -> value
    private final Map<String, ConfigValue> values;

    private AirflowConfig(Optional<Path> file, Map<String, String> environment, Map<String, ConfigValue> values)
    {
        this.file = requireNonNull(file, "file is null");
        this.environment = Map.copyOf(environment);
        this.values = values;
    }

    /**
     * Reads {@code file} (if present) and applies the {@code AIRFLOW__*} variables of {@code environment} on top.
     *
     * @throws ConfigException naming the file and line for a syntax error, or the file for an I/O error
     */
    public static AirflowConfig load(Optional<Path> file, Map<String, String> environment)
    {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        file.ifPresent(path -> IniFile.read(path).forEach(value -> values.put(id(value.section(), value.key()), value)));
        applyEnvironment(values, environment);
        return new AirflowConfig(file, environment, values);
    }

    /** Configuration from in-memory {@code section -> key -> value} entries and an environment, for embedding and tests. */
    public static AirflowConfig of(Map<String, Map<String, String>> sections, Map<String, String> environment)
    {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        sections.forEach((section, entries) -> entries.forEach((key, value) ->
                values.put(id(section, key), new ConfigValue(normalize(section), normalize(key), value, "inline", isSecretKey(key)))));
        applyEnvironment(values, environment);
        return new AirflowConfig(Optional.empty(), environment, values);
    }

    private static void applyEnvironment(Map<String, ConfigValue> values, Map<String, String> environment)
    {
        // Variables name sections with '.' replaced by '_', so match them against known sections first.
        environment.forEach((name, value) -> {
            if (!name.startsWith("AIRFLOW__") || name.endsWith("_CMD") || name.endsWith("_SECRET")) {
                return;
            }
            String rest = name.substring("AIRFLOW__".length());
            int split = rest.indexOf("__");
            if (split <= 0 || split + 2 >= rest.length()) {
                return;
            }
            String envSection = rest.substring(0, split).toLowerCase(Locale.ROOT);
            String key = rest.substring(split + 2).toLowerCase(Locale.ROOT);
            String section = KnownSections.fromEnvironmentName(envSection, values.values());
            values.put(id(section, key), new ConfigValue(section, key, value, "env " + name, isSecretKey(key)));
        });
    }

    private static String id(String section, String key)
    {
        return normalize(section) + '\0' + normalize(key);
    }

    static String normalize(String name)
    {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    static boolean isSecretKey(String key)
    {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.equals("sql_alchemy_conn") || k.contains("token")
                || k.equals("fernet_key") || k.contains("private_key");
    }

    public Optional<Path> file()
    {
        return file;
    }

    public Map<String, String> environment()
    {
        return environment;
    }

    public Optional<ConfigValue> lookup(String section, String key)
    {
        return Optional.ofNullable(values.get(id(section, key)));
    }

    public Optional<String> get(String section, String key)
    {
        return lookup(section, key).map(ConfigValue::value);
    }

    public String get(String section, String key, String defaultValue)
    {
        return get(section, key).orElse(defaultValue);
    }

    /** @throws ConfigException naming the setting's source if the value is not an integer */
    public long getLong(String section, String key, long defaultValue)
    {
        Optional<ConfigValue> value = lookup(section, key);
        if (value.isEmpty() || value.get().value().isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.get().value().trim());
        }
        catch (NumberFormatException e) {
            throw new ConfigException("Invalid integer for " + value.get().describe() + ": '" + value.get().displayValue() + "'");
        }
    }

    public int getInt(String section, String key, int defaultValue)
    {
        long value = getLong(section, key, defaultValue);
        if (value != (int) value) {
            throw new ConfigException("Integer out of range for " + lookup(section, key).orElseThrow().describe() + ": " + value);
        }
        return (int) value;
    }

    /** Airflow's boolean spellings: {@code true/false}, {@code t/f}, {@code 1/0}, {@code yes/no}, {@code on/off}. */
    public boolean getBoolean(String section, String key, boolean defaultValue)
    {
        Optional<ConfigValue> value = lookup(section, key);
        if (value.isEmpty() || value.get().value().isBlank()) {
            return defaultValue;
        }
        return switch (value.get().value().trim().toLowerCase(Locale.ROOT)) {
            case "true", "t", "1", "yes", "y", "on" -> true;
            case "false", "f", "0", "no", "n", "off" -> false;
            default -> throw new ConfigException("Invalid boolean for " + value.get().describe() + ": '" + value.get().displayValue() + "'");
        };
    }

    /** A duration such as {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}, or ISO-8601 {@code PT1H}. */
    public Duration getDuration(String section, String key, Duration defaultValue)
    {
        Optional<ConfigValue> value = lookup(section, key);
        if (value.isEmpty() || value.get().value().isBlank()) {
            return defaultValue;
        }
        try {
            return Durations.parse(value.get().value());
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid duration for " + value.get().describe() + ": " + e.getMessage());
        }
    }

    /** Every effective setting with its source, in file order then environment order. */
    public List<ConfigValue> entries()
    {
        return new ArrayList<>(values.values());
    }

    /**
     * The connection {@code connId} from {@code AIRFLOW_CONN_<CONN_ID>} (conn_id upper-cased), in URI or JSON form.
     *
     * @throws ConfigException if the variable exists but cannot be parsed (the message names the variable, never its value)
     */
    public Optional<Connection> connection(String connId)
    {
        String variable = "AIRFLOW_CONN_" + connId.toUpperCase(Locale.ROOT);
        String value = environment.get(variable);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(Connections.parse(connId, value, variable));
    }

    @Override
    public String toString()
    {
        return "AirflowConfig{file=" + file.map(Path::toString).orElse("<none>") + ", settings=" + values.size() + "}";
    }
}
