package io.xcomhybrid.config;

import java.util.Locale;
import java.util.Set;

/**
 * Which settings hold secrets. Two different questions:
 * <ul>
 * <li>{@link #acceptsCommand}: Airflow's {@code sensitive_config_values}, the options marked {@code sensitive: true}
 * in Airflow's {@code config.yml} and the providers' {@code provider.yaml} (plus the old names they were moved from).
 * Only these honour the {@code _cmd} and {@code _secret} forms; Airflow ignores those forms for any other option.</li>
 * <li>{@link #isSecret}: whether a value must be masked in output. Wider: every sensitive option, any key whose name
 * says it holds a credential, and any value holding a URL with a password in its user-info part.</li>
 * </ul>
 */
final class SensitiveSettings
{
    // airflow-core 3.3 config.yml, the celery provider, and the Airflow 2 names of the same options
    private static final Set<String> SENSITIVE = Set.of(
            "core.fernet_key",
            "core.asset_manager_kwargs",
            "core.sql_alchemy_conn",
            "database.sql_alchemy_conn",
            "database.sql_alchemy_conn_async",
            "database.sql_alchemy_engine_args",
            "logging.remote_task_handler_kwargs",
            "secrets.backend_kwargs",
            "api.secret_key",
            "webserver.secret_key",
            "workers.secrets_backend_kwargs",
            "api_auth.jwt_secret",
            "sentry.sentry_dsn",
            "celery.broker_url",
            "celery.result_backend",
            "celery.flower_basic_auth");

    private static final Set<String> SECRET_KEY_WORDS = Set.of(
            "password", "passwd", "secret", "token", "private_key", "passphrase", "credential", "fernet_key",
            "sql_alchemy_conn", "api_key", "dsn");

    private SensitiveSettings() {}

    /** Airflow's {@code (section, key) in sensitive_config_values}; names are compared in lower case. */
    static boolean acceptsCommand(String section, String key)
    {
        return SENSITIVE.contains(section.toLowerCase(Locale.ROOT) + "." + key.toLowerCase(Locale.ROOT));
    }

    static boolean isSecret(String section, String key, String value)
    {
        String k = key.toLowerCase(Locale.ROOT);
        if (acceptsCommand(section, k)) {
            return true;
        }
        for (String suffix : new String[] {"_cmd", "_secret"}) {
            if (k.endsWith(suffix) && acceptsCommand(section, k.substring(0, k.length() - suffix.length()))) {
                return true;
            }
        }
        // "[workers] secrets_backend" names a class, not a secret
        String words = k.replace("secrets_backend", "");
        for (String word : SECRET_KEY_WORDS) {
            if (words.contains(word)) {
                return true;
            }
        }
        return hasUrlPassword(value);
    }

    /**
     * Whether the text contains {@code scheme://user:password@host}: for each {@code ://}, the authority runs to the
     * next {@code /}, {@code ?}, {@code #} or whitespace, and a {@code :} before its last {@code @} means a password.
     * {@code s3://conn_id@bucket} (no colon) is not a secret.
     */
    static boolean hasUrlPassword(String text)
    {
        int from = 0;
        while (true) {
            int separator = text.indexOf("://", from);
            if (separator < 0) {
                return false;
            }
            int start = separator + 3;
            int end = start;
            while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0 && !PythonText.isSpace(text.charAt(end))) {
                end++;
            }
            String authority = text.substring(start, end);
            int at = authority.lastIndexOf('@');
            if (at > 0 && authority.substring(0, at).indexOf(':') >= 0) {
                return true;
            }
            from = start;
        }
    }
}
