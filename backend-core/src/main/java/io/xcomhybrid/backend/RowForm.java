package io.xcomhybrid.backend;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.ConfigValue;
import io.xcomhybrid.json.DbForm;
import io.xcomhybrid.json.XComJson;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code [xcom_hybrid] db_form}: how a value kept in the database row is written. {@code airflow2} (default): the JSON
 * text, Airflow 2's byte form, as every object payload. {@code airflow3}: Airflow 3's serde structure, which is what an
 * Airflow 3 task hands to the Execution API (e.g. a Java task passing it to the Java SDK's {@code setXCom}); it
 * differs only for tuples nested in containers and non-string dict keys.
 */
final class RowForm
{
    static final String KEY = "db_form";

    private RowForm() {}

    static DbForm from(AirflowConfig config)
    {
        Optional<ConfigValue> value = config.lookup(ObjectStorageSettings.HYBRID_SECTION, KEY);
        String text = value.map(ConfigValue::value).orElse("airflow2").trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "", "airflow2" -> DbForm.AIRFLOW2_BYTES;
            case "airflow3" -> DbForm.AIRFLOW3_SERDE;
            default -> throw new ConfigException("Invalid " + value.orElseThrow().describe() + ": '" + text + "' (use airflow2 or airflow3)");
        };
    }

    /** The row bytes for a value whose JSON text is {@code text}. */
    static byte[] encode(DbForm form, XComPayload payload, byte[] text, XComJson json)
    {
        if (form == DbForm.AIRFLOW2_BYTES) {
            return text;
        }
        // JSON text input carries no tuples or non-string keys, so its serde form is the text itself
        return payload.value().map(value -> json.toDbBytes(value, form)).orElse(text);
    }
}
