package io.xcomhybrid.config;

import static java.util.Objects.requireNonNull;

/**
 * One effective setting and where it came from.
 *
 * @param source where the value was read, e.g. {@code /etc/airflow/airflow.cfg:12}, {@code env AIRFLOW__CORE__XCOM_BACKEND},
 *        {@code env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD} or {@code inline}; used verbatim in error messages
 * @param secret whether the value must never be printed (sensitive options, credential-like keys, URLs with a password)
 */
public record ConfigValue(String section, String key, String value, String source, boolean secret)
{
    public ConfigValue
    {
        requireNonNull(section, "section is null");
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        requireNonNull(source, "source is null");
    }

    /** A setting whose secrecy is decided from its names and value (see {@link #secret()}). */
    public static ConfigValue of(String section, String key, String value, String source)
    {
        return new ConfigValue(section, key, value, source, SensitiveSettings.isSecret(section, key, value));
    }

    /** The value, or {@code ****} when it is secret. */
    public String displayValue()
    {
        return secret ? "****" : value;
    }

    /** {@code [section] key (source)}: how error messages name this setting. */
    public String describe()
    {
        return "[" + section + "] " + key + " (" + source + ")";
    }

    @Override
    public String toString()
    {
        return describe() + " = " + displayValue();
    }
}
