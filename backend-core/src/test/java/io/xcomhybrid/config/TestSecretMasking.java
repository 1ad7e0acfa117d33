package io.xcomhybrid.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TestSecretMasking
{
    @Test
    void airflowSensitiveOptionsAreSecret()
    {
        assertThat(ConfigValue.of("database", "sql_alchemy_conn", "sqlite:////tmp/airflow.db", "x").secret()).isTrue();
        assertThat(ConfigValue.of("core", "fernet_key", "abc", "x").secret()).isTrue();
        assertThat(ConfigValue.of("api", "secret_key", "abc", "x").secret()).isTrue();
        assertThat(ConfigValue.of("webserver", "secret_key", "abc", "x").secret()).isTrue();
        assertThat(ConfigValue.of("secrets", "backend_kwargs", "{\"url\": \"http://vault\"}", "x").secret()).isTrue();
        assertThat(ConfigValue.of("celery", "broker_url", "redis://redis:6379/0", "x").secret()).isTrue();
        assertThat(ConfigValue.of("sentry", "sentry_dsn", "https://k@sentry.io/1", "x").secret()).isTrue();
    }

    @Test
    void commandAndSecretFormsOfSensitiveOptionsAreSecret()
    {
        assertThat(ConfigValue.of("database", "sql_alchemy_conn_cmd", "cat /run/secrets/db", "x").secret()).isTrue();
        assertThat(ConfigValue.of("database", "sql_alchemy_conn_secret", "db", "x").secret()).isTrue();
    }

    @Test
    void credentialLikeKeysAreSecret()
    {
        for (String key : new String[] {"smtp_password", "aws_secret_access_key", "api_token", "private_key_passphrase", "gcp_api_key", "client_secret"}) {
            assertThat(ConfigValue.of("any", key, "v", "x").secret()).as(key).isTrue();
        }
    }

    @Test
    void urlWithPasswordIsSecretWhateverTheKey()
    {
        assertThat(ConfigValue.of("xcom_hybrid", "metadata_url", "postgresql://airflow:hunter2@db:5432/airflow", "x").secret()).isTrue();
        assertThat(ConfigValue.of("x", "y", "see https://user:pw@host/path", "x").secret()).isTrue();
        assertThat(ConfigValue.of("x", "y", "redis://:pw@redis:6379/0", "x").secret()).isTrue();
        assertThat(ConfigValue.of("x", "y", "s3://u:p@ss@bucket/key", "x").secret()).isTrue();
    }

    @Test
    void ordinarySettingsAreShown()
    {
        // conn_id@bucket has no password
        assertThat(ConfigValue.of("common.io", "xcom_objectstorage_path", "s3://aws_default@bucket/xcom", "x").secret()).isFalse();
        assertThat(ConfigValue.of("common.io", "xcom_objectstorage_threshold", "1000", "x").secret()).isFalse();
        assertThat(ConfigValue.of("core", "xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend", "x").secret()).isFalse();
        assertThat(ConfigValue.of("workers", "secrets_backend", "my.Backend", "x").secret()).isFalse();
        assertThat(ConfigValue.of("x", "y", "http://host:8080/path?a=b:c@d", "x").secret()).isFalse();
        assertThat(ConfigValue.of("x", "y", "no url: a:b@c", "x").secret()).isFalse();
    }

    @Test
    void displayValueAndToStringMask()
    {
        ConfigValue secret = ConfigValue.of("database", "sql_alchemy_conn", "postgresql://u:hunter2@h/db", "env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN");
        assertThat(secret.displayValue()).isEqualTo("****");
        assertThat(secret.toString()).isEqualTo("[database] sql_alchemy_conn (env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) = ****");
        ConfigValue plain = ConfigValue.of("core", "xcom_backend", "a.B", "airflow.cfg:3");
        assertThat(plain.toString()).isEqualTo("[core] xcom_backend (airflow.cfg:3) = a.B");
    }

    @Test
    void configEntriesMaskSecretsFromEverySource()
    {
        AirflowConfig config = AirflowConfig.of(
                Map.of("xcom_hybrid", Map.of("metadata_url", "postgresql://a:inline-secret@h/db")),
                Map.of("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql://a:env-secret@h/db",
                        "AIRFLOW__CELERY__BROKER_URL", "redis://redis:6379/0"));
        assertThat(config.entries().toString()).doesNotContain("inline-secret", "env-secret", "redis:6379").contains("****");
        assertThat(config.toString()).doesNotContain("secret");
    }
}
