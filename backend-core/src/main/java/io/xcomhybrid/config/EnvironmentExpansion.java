package io.xcomhybrid.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Airflow's {@code expand_env_var}, applied to every value read from the config file or an {@code AIRFLOW__*}
 * variable: Python's {@code os.path.expandvars} ({@code $NAME} and {@code ${NAME}} replaced when the variable exists,
 * left as they are otherwise) then {@code os.path.expanduser} ({@code ~} or {@code ~/...} at the start becomes
 * {@code $HOME}), repeated until the value stops changing.
 * <p>
 * {@code ~user} forms need the system's user database and are left unexpanded (Airflow would expand them).
 */
final class EnvironmentExpansion
{
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+|\\{[^}]*})");
    // Airflow loops until a fixed point; a value such as "x$A" with A="x$A" would never get there.
    private static final int MAX_ROUNDS = 100;

    private EnvironmentExpansion() {}

    /**
     * @param setting names the setting for the error message, e.g. {@code [core] dags_folder (airflow.cfg:3)}
     * @throws ConfigException if expansion does not settle
     */
    static String expand(String value, Map<String, String> environment, String setting)
    {
        if (value.isEmpty()) {
            return value;
        }
        String current = value;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            String next = expandUser(expandVariables(current, environment), environment);
            if (next.equals(current)) {
                return next;
            }
            current = next;
        }
        throw new ConfigException(setting + ": expanding $VARIABLES did not settle after " + MAX_ROUNDS
                + " rounds (a variable that contains itself?)");
    }

    static String expandVariables(String path, Map<String, String> environment)
    {
        if (path.indexOf('$') < 0) {
            return path;
        }
        // Java's \w is ASCII-only, like Python's re.ASCII pattern in posixpath
        Matcher matcher = VARIABLE.matcher(path);
        StringBuilder out = new StringBuilder();
        int position = 0;
        while (matcher.find(position)) {
            String name = matcher.group(1);
            if (name.startsWith("{")) {
                name = name.substring(1, name.length() - 1);
            }
            String replacement = environment.get(name);
            if (replacement == null) {
                out.append(path, position, matcher.end());
            }
            else {
                out.append(path, position, matcher.start()).append(replacement);
            }
            position = matcher.end();
        }
        out.append(path, position, path.length());
        return out.toString();
    }

    static String expandUser(String path, Map<String, String> environment)
    {
        if (!path.startsWith("~")) {
            return path;
        }
        int slash = path.indexOf('/', 1);
        int end = slash < 0 ? path.length() : slash;
        if (end != 1) {
            return path;
        }
        Optional<String> home = Optional.ofNullable(environment.get("HOME"))
                .or(() -> Optional.ofNullable(System.getProperty("user.home")));
        if (home.isEmpty()) {
            return path;
        }
        String userHome = home.get();
        while (userHome.endsWith("/")) {
            userHome = userHome.substring(0, userHome.length() - 1);
        }
        String result = userHome + path.substring(end);
        return result.isEmpty() ? "/" : result;
    }
}
