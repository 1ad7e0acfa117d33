package io.xcomhybrid.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Airflow-style configuration, looked up the way Airflow's {@code conf.get(section, key)} does (without Airflow's
 * built-in defaults and deprecated-name mapping; callers pass their own defaults). Section and key are lower-cased,
 * then the first of these wins:
 * <ol>
 * <li>the variable {@code AIRFLOW__{SECTION}__{KEY}} ({@code .} in the section becomes {@code _}, so
 * {@code AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH} is {@code [common.io] xcom_objectstorage_path} whether or not the
 * file has that section), with {@code $VARIABLES} and {@code ~} expanded;</li>
 * <li>for sensitive options only (see {@link SensitiveSettings}): {@code AIRFLOW__{SECTION}__{KEY}_CMD}, whose
 * command's standard output is the value (see {@link ConfigCommand}), then {@code ..._SECRET}, which names a secret
 * in Airflow's secrets backend: ignored when no {@code [secrets] backend} is configured (as Airflow does), an error
 * otherwise, since this library cannot call Airflow's secrets backends;</li>
 * <li>the config file ({@link IniFile}): {@code %} interpolation, then {@code $VARIABLES} and {@code ~} expanded.
 * Airflow lower-cases the names it asks for but not the names in the file, so {@code [Core]} or {@code Key} in the
 * file are never read (reported by {@link #problems()});</li>
 * <li>for sensitive options: {@code key_cmd} then {@code key_secret} in the file, with the same rules.</li>
 * </ol>
 * Interpolation, command and secret errors surface when the setting is looked up, as in Airflow, so a broken
 * setting that is never used does not prevent loading. Immutable and thread-safe; command output is computed once.
 */
public final class AirflowConfig
{
    private static final String ENV_PREFIX = "AIRFLOW__";
    private static final String INLINE_SOURCE = "inline";

    private final Optional<Path> file;
    private final Map<String, String> environment;
    private final Optional<IniFile> ini;
    // lower-case section -> lower-case key -> value
    private final Map<String, Map<String, String>> inline;
    private final Map<String, ConfigValue> commandOutputs = new ConcurrentHashMap<>();

    private AirflowConfig(Optional<Path> file, Map<String, String> environment, Optional<IniFile> ini, Map<String, Map<String, String>> inline)
    {
        this.file = requireNonNull(file, "file is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.ini = ini;
        this.inline = inline;
    }

    /**
     * Reads {@code file} (if present); {@code environment} supplies the {@code AIRFLOW__*} overrides, the
     * {@code AIRFLOW_CONN_*} connections, {@code $VARIABLE} expansion, and the environment of {@code _cmd} commands.
     *
     * @throws ConfigException naming the file and line for a syntax error, or the file for an I/O error
     */
    public static AirflowConfig load(Optional<Path> file, Map<String, String> environment)
    {
        return new AirflowConfig(file, environment, file.map(IniFile::read), Map.of());
    }

    /**
     * Configuration from in-memory {@code section -> key -> value} entries, which take the place of the config file,
     * and an environment, for embedding and tests. Names are case-insensitive; values are taken literally (no
     * {@code %} interpolation, no {@code $VARIABLE} expansion).
     */
    public static AirflowConfig of(Map<String, Map<String, String>> sections, Map<String, String> environment)
    {
        Map<String, Map<String, String>> inline = new LinkedHashMap<>();
        sections.forEach((section, entries) -> entries.forEach((key, value) ->
                inline.computeIfAbsent(normalize(section), ignored -> new LinkedHashMap<>())
                        .put(normalize(key), requireNonNull(value, () -> "value of [" + section + "] " + key + " is null"))));
        return new AirflowConfig(Optional.empty(), environment, Optional.empty(), inline);
    }

    /**
     * Where Airflow looks for its config file: {@code $AIRFLOW_CONFIG}, else {@code $AIRFLOW_HOME/airflow.cfg}, else
     * {@code ~/airflow/airflow.cfg}, with {@code $VARIABLES} and {@code ~} expanded. The file need not exist.
     */
    public static Path defaultConfigFile(Map<String, String> environment)
    {
        String config = environment.get("AIRFLOW_CONFIG");
        if (config != null) {
            return Path.of(EnvironmentExpansion.expand(config, environment, "AIRFLOW_CONFIG"));
        }
        String home = EnvironmentExpansion.expand(environment.getOrDefault("AIRFLOW_HOME", "~/airflow"), environment, "AIRFLOW_HOME");
        return Path.of(home, "airflow.cfg");
    }

    /** The variable that overrides {@code [section] key}: {@code AIRFLOW__{SECTION}__{KEY}} with {@code .} as {@code _}. */
    public static String environmentVariable(String section, String key)
    {
        return ENV_PREFIX + section.replace('.', '_').toUpperCase(Locale.ROOT) + "__" + key.toUpperCase(Locale.ROOT);
    }

    static String normalize(String name)
    {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    public Optional<Path> file()
    {
        return file;
    }

    public Map<String, String> environment()
    {
        return environment;
    }

    /**
     * The effective setting, with its source.
     *
     * @throws ConfigException if the setting exists but cannot be resolved (bad {@code %} interpolation, a failing
     *         {@code _cmd} command, a value held by a secrets backend); the message names the source, never the value
     */
    public Optional<ConfigValue> lookup(String section, String key)
    {
        String s = section.toLowerCase(Locale.ROOT);
        String k = key.toLowerCase(Locale.ROOT);
        String variable = environmentVariable(s, k);
        String value = environment.get(variable);
        if (value != null) {
            String source = "env " + variable;
            return Optional.of(ConfigValue.of(s, k, expand(value, s, k, source), source));
        }
        boolean sensitive = SensitiveSettings.acceptsCommand(s, k);
        if (sensitive) {
            String command = environment.get(variable + "_CMD");
            if (command != null) {
                return Optional.of(commandOutput(s, k, command, "env " + variable + "_CMD"));
            }
            if (environment.containsKey(variable + "_SECRET")) {
                refuseSecretsBackend(s, k, "env " + variable + "_SECRET");
            }
        }
        Optional<ConfigValue> fromFile = fileValue(s, k, true);
        if (fromFile.isPresent()) {
            return fromFile;
        }
        if (sensitive) {
            // Airflow interpolates the command but does not expand $VARIABLES in it
            Optional<ConfigValue> command = fileValue(s, k + "_cmd", false);
            if (command.isPresent()) {
                ConfigValue output = commandOutput(s, k, command.get().value(), command.get().source() + " " + k + "_cmd");
                // Airflow skips an empty command output here (falsy), unlike for the _CMD variable
                if (!output.value().isEmpty()) {
                    return Optional.of(output);
                }
            }
            Optional<ConfigValue> secret = fileValue(s, k + "_secret", false);
            if (secret.isPresent()) {
                refuseSecretsBackend(s, k, secret.get().source() + " " + k + "_secret");
            }
        }
        return Optional.empty();
    }

    private Optional<ConfigValue> fileValue(String section, String key, boolean expand)
    {
        if (ini.isPresent()) {
            IniFile iniFile = ini.get();
            return iniFile.find(section, key).map(entry -> {
                String source = iniFile.location(entry);
                String value = iniFile.interpolate(section, entry);
                if (expand) {
                    value = expand(value, section, key, source);
                }
                return ConfigValue.of(section, key, value, source);
            });
        }
        return Optional.ofNullable(inline.getOrDefault(section, Map.of()).get(key))
                .map(value -> ConfigValue.of(section, key, value, INLINE_SOURCE));
    }

    private String expand(String value, String section, String key, String source)
    {
        return EnvironmentExpansion.expand(value, environment, "[" + section + "] " + key + " (" + source + ")");
    }

    private ConfigValue commandOutput(String section, String key, String command, String source)
    {
        return commandOutputs.computeIfAbsent(source + '\0' + command, ignored -> new ConfigValue(section, key,
                ConfigCommand.run(command, environment, "[" + section + "] " + key + " (" + source + ")"), source, true));
    }

    private void refuseSecretsBackend(String section, String key, String source)
    {
        Optional<String> backend = get("secrets", "backend").map(String::strip).filter(name -> !name.isEmpty());
        if (backend.isPresent()) {
            throw new ConfigException("[" + section + "] " + key + " (" + source + ") is to be read from Airflow's secrets backend "
                    + backend.get() + ", which xcom-hybrid cannot call; set " + environmentVariable(section, key) + " or "
                    + environmentVariable(section, key) + "_CMD instead");
        }
        // Without a configured backend Airflow gets no value here and moves on to the next source.
    }

    public Optional<String> get(String section, String key)
    {
        return lookup(section, key).map(ConfigValue::value);
    }

    public String get(String section, String key, String defaultValue)
    {
        return get(section, key).orElse(defaultValue);
    }

    /**
     * An integer as Python's {@code int()} reads it (surrounding spaces, a sign and {@code 1_000} style underscores
     * allowed). An empty value is an error, as with Airflow's {@code conf.getint}.
     *
     * @throws ConfigException naming the setting's source if the value is not an integer
     */
    public long getLong(String section, String key, long defaultValue)
    {
        Optional<ConfigValue> value = lookup(section, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        OptionalLong number = PythonText.parseInt(value.get().value());
        if (number.isEmpty()) {
            throw new ConfigException("Invalid integer for " + value.get().describe() + ": '" + value.get().displayValue() + "'"
                    + (value.get().value().isBlank() ? " (empty; remove the setting to use the default)" : ""));
        }
        return number.getAsLong();
    }

    /** @throws ConfigException naming the setting's source if the value is not an integer or out of int range */
    public int getInt(String section, String key, int defaultValue)
    {
        long value = getLong(section, key, defaultValue);
        if (value != (int) value) {
            ConfigValue setting = lookup(section, key).orElseThrow();
            throw new ConfigException("Integer out of range for " + setting.describe() + ": " + (setting.secret() ? "****" : value));
        }
        return (int) value;
    }

    /**
     * Airflow's {@code conf.getboolean}: lower-cased and trimmed, text from a {@code #} on dropped, then {@code true},
     * {@code t} or {@code 1}, or {@code false}, {@code f} or {@code 0}. Anything else, the empty value included, is an error.
     *
     * @throws ConfigException naming the setting's source
     */
    public boolean getBoolean(String section, String key, boolean defaultValue)
    {
        Optional<ConfigValue> value = lookup(section, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = PythonText.strip(value.get().value().toLowerCase(Locale.ROOT));
        int comment = text.indexOf('#');
        if (comment >= 0) {
            text = PythonText.strip(text.substring(0, comment));
        }
        return switch (text) {
            case "true", "t", "1" -> true;
            case "false", "f", "0" -> false;
            default -> throw new ConfigException("Invalid boolean for " + value.get().describe() + ": '" + value.get().displayValue()
                    + "' (Airflow accepts true, t, 1, false, f, 0)");
        };
    }

    /** A duration such as {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}, a number of seconds, or ISO-8601 {@code PT1H}; empty means the default. */
    public Duration getDuration(String section, String key, Duration defaultValue)
    {
        Optional<ConfigValue> value = lookup(section, key);
        if (value.isEmpty() || value.get().value().isBlank()) {
            return defaultValue;
        }
        try {
            return Durations.parse(value.get().value());
        }
        catch (RuntimeException e) {
            throw new ConfigException("Invalid duration for " + value.get().describe() + ": "
                    + (value.get().secret() ? "not a duration" : e.getMessage()));
        }
    }

    /**
     * Every effective setting named by the config file (or the inline entries) or by an {@code AIRFLOW__*} variable,
     * with its source: file order, then variables in name order. A {@code _cmd} or {@code _secret} form of a sensitive
     * option is listed as the option itself, resolved (so this may run commands). Settings that cannot be resolved are
     * left out and reported by {@link #problems()}.
     */
    public List<ConfigValue> entries()
    {
        List<ConfigValue> entries = new ArrayList<>();
        for (String[] name : names(new ArrayList<>())) {
            try {
                lookup(name[0], name[1]).ifPresent(entries::add);
            }
            catch (ConfigException ignored) {
                // reported by problems()
            }
        }
        return entries;
    }

    /**
     * What {@link #entries()} leaves out and why: settings that fail to resolve, file names Airflow never reads
     * because they are not lower case, and variables Airflow ignores. Messages name sources, never values.
     */
    public List<String> problems()
    {
        List<String> problems = new ArrayList<>();
        for (String[] name : names(problems)) {
            try {
                lookup(name[0], name[1]);
            }
            catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    private List<String[]> names(List<String> problems)
    {
        Set<List<String>> names = new LinkedHashSet<>();
        Set<String> sections = new LinkedHashSet<>(inline.keySet());
        ini.ifPresent(iniFile -> {
            for (IniFile.Entry entry : iniFile.entries()) {
                if (entry.section().equals(IniFile.DEFAULT_SECTION)) {
                    continue;
                }
                sections.add(entry.section());
                if (!entry.section().equals(entry.section().toLowerCase(Locale.ROOT)) || !entry.key().equals(entry.key().toLowerCase(Locale.ROOT))) {
                    problems.add(iniFile.location(entry) + ": [" + entry.section() + "] " + entry.key()
                            + " is never read by Airflow, which looks up lower-case section and key names");
                    continue;
                }
                names.add(List.of(entry.section(), baseName(entry.section(), entry.key())));
            }
        });
        inline.forEach((section, entries) -> entries.keySet().forEach(key -> names.add(List.of(section, baseName(section, key)))));
        for (String variable : new TreeMap<>(environment).keySet()) {
            if (!variable.startsWith(ENV_PREFIX)) {
                continue;
            }
            String[] parts = variable.split("__", 3);
            if (parts.length < 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
                problems.add("env " + variable + " is ignored: the form is AIRFLOW__{SECTION}__{KEY}");
                continue;
            }
            String section = KnownSections.fromEnvironmentName(parts[1].toLowerCase(Locale.ROOT), sections);
            String key = parts[2].toLowerCase(Locale.ROOT);
            if (!variable.equals(environmentVariable(section, key))) {
                problems.add("env " + variable + " is never read by Airflow, which looks up upper-case variable names");
                continue;
            }
            names.add(List.of(section, baseName(section, key)));
        }
        return names.stream().map(name -> name.toArray(String[]::new)).toList();
    }

    /** {@code sql_alchemy_conn_cmd} names {@code sql_alchemy_conn} when that option accepts commands; other names are themselves. */
    private static String baseName(String section, String key)
    {
        for (String suffix : new String[] {"_cmd", "_secret"}) {
            if (key.endsWith(suffix)) {
                String base = key.substring(0, key.length() - suffix.length());
                if (SensitiveSettings.acceptsCommand(section, base)) {
                    return base;
                }
            }
        }
        return key;
    }

    /**
     * The connection {@code connId} from {@code AIRFLOW_CONN_<CONN_ID>} (conn_id upper-cased), in URI or JSON form,
     * as Airflow's environment-variables secrets backend reads it.
     *
     * @throws ConfigException if the variable exists but cannot be parsed (the message names the variable, never its value)
     */
    public Optional<Connection> connection(String connId)
    {
        return connection(connId, Optional.empty());
    }

    /**
     * Like {@link #connection(String)}, for a task of {@code team}: Airflow 3's multi-team form
     * {@code AIRFLOW_CONN__<TEAM>___<CONN_ID>} is tried first. In multi-team mode ({@code [core] multi_team}), a
     * conn_id containing {@code ___} is refused, as Airflow does, so that it cannot reach another team's variable.
     */
    public Optional<Connection> connection(String connId, Optional<String> team)
    {
        requireNonNull(connId, "connId is null");
        if (connId.contains("___") && getBoolean("core", "multi_team", false)) {
            return Optional.empty();
        }
        if (team.isPresent() && !team.get().isEmpty()) {
            String variable = "AIRFLOW_CONN__" + team.get().toUpperCase(Locale.ROOT) + "___" + connId.toUpperCase(Locale.ROOT);
            String value = environment.get(variable);
            if (value != null && !value.isEmpty()) {
                return Optional.of(Connections.parse(connId, value, variable));
            }
        }
        String variable = "AIRFLOW_CONN_" + connId.toUpperCase(Locale.ROOT);
        String value = environment.get(variable);
        // Airflow treats an empty variable as no connection (falsy)
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Connections.parse(connId, value, variable));
    }

    @Override
    public String toString()
    {
        return "AirflowConfig{file=" + file.map(Path::toString).orElse("<none>") + "}";
    }
}
