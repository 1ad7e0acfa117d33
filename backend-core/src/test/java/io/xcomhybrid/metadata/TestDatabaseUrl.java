package io.xcomhybrid.metadata;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDatabaseUrl
{
    @Test
    void sqliteAbsolutePath()
    {
        DatabaseUrl url = DatabaseUrl.parse("sqlite:////opt/airflow/airflow.db");
        assertThat(url.dialect()).isEqualTo(DatabaseUrl.Dialect.SQLITE);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/opt/airflow/airflow.db");
        assertThat(url.sqliteFile()).contains(Path.of("/opt/airflow/airflow.db"));
        assertThat(url.isInMemory()).isFalse();
        assertThat(url.describe()).isEqualTo("SQLite /opt/airflow/airflow.db");
    }

    @Test
    void sqliteRelativePathResolvesAgainstWorkingDirectory()
    {
        DatabaseUrl url = DatabaseUrl.parse("sqlite:///relative.db");
        Path expected = Path.of("relative.db").toAbsolutePath();
        assertThat(url.sqliteFile()).contains(expected);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:" + expected);
        assertThat(DatabaseUrl.parse("sqlite+pysqlite:///data/x.db").sqliteFile()).contains(Path.of("data/x.db").toAbsolutePath());
    }

    @Test
    void sqliteMemory()
    {
        for (String text : new String[] {"sqlite://", "sqlite:///:memory:", "sqlite:///"}) {
            DatabaseUrl url = DatabaseUrl.parse(text);
            assertThat(url.isInMemory()).as(text).isTrue();
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite::memory:");
        }
    }

    @Test
    void sqliteRejectsHostAndQuery()
    {
        assertThatThrownBy(() -> DatabaseUrl.parse("sqlite://host/x.db")).hasMessageContaining("must not name a user or host");
        assertThatThrownBy(() -> DatabaseUrl.parse("sqlite:////x.db?mode=ro")).hasMessageContaining("query parameters are not supported");
    }

    @Test
    void postgresqlWithDriverPasswordAndTls()
    {
        DatabaseUrl url = DatabaseUrl.parse("postgresql+psycopg2://airflow:p%40ss%3Aw%2Fd+x@db.example.com:5433/airflow"
                + "?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem&sslcert=/c.pem&sslkey=/k.pk8&sslpassword=keypw&connect_timeout=7&application_name=xh");
        assertThat(url.dialect()).isEqualTo(DatabaseUrl.Dialect.POSTGRESQL);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/airflow");
        assertThat(url.user()).contains("airflow");
        assertThat(url.password()).contains("p@ss:w/d+x");
        assertThat(url.properties()).isEqualTo(Map.of(
                "sslmode", "verify-full",
                "sslrootcert", "/etc/ssl/ca.pem",
                "sslcert", "/c.pem",
                "sslkey", "/k.pk8",
                "sslpassword", "keypw",
                "connectTimeout", "7",
                "ApplicationName", "xh"));
        assertThat(url.toString())
                .doesNotContain("p%40ss")
                .doesNotContain("keypw")
                .isEqualTo("PostgreSQL postgresql+psycopg2://airflow:****@db.example.com:5433/airflow?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem"
                        + "&sslcert=/c.pem&sslkey=/k.pk8&sslpassword=****&connect_timeout=7&application_name=xh");
    }

    @Test
    void postgresSpellingsAndDefaults()
    {
        DatabaseUrl plain = DatabaseUrl.parse("postgres://db/airflow");
        assertThat(plain.jdbcUrl()).isEqualTo("jdbc:postgresql://db/airflow");
        assertThat(plain.user()).isEmpty();
        assertThat(plain.password()).isEmpty();

        DatabaseUrl userOnly = DatabaseUrl.parse("postgresql://airflow@127.0.0.1/airflow");
        assertThat(userOnly.user()).contains("airflow");
        assertThat(userOnly.password()).isEmpty();

        DatabaseUrl emptyPassword = DatabaseUrl.parse("postgresql://airflow:@127.0.0.1/airflow");
        assertThat(emptyPassword.password()).contains("");

        DatabaseUrl ipv6 = DatabaseUrl.parse("postgresql+psycopg://u:p@[::1]:5432/airflow");
        assertThat(ipv6.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/airflow");
    }

    @Test
    void postgresqlErrorsNeverShowThePassword()
    {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@db:99999/airflow"))
                .hasMessageContaining("invalid port '99999'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@db/airflow?sslmode=sometimes"))
                .hasMessageContaining("invalid sslmode 'sometimes'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@db/airflow?keepalives=1"))
                .hasMessageContaining("unsupported PostgreSQL URL parameter 'keepalives'")
                .hasMessageContaining("sslmode")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@/airflow"))
                .hasMessageContaining("has no host")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@db/airflow?sslmode=require&sslmode=disable"))
                .hasMessageContaining("given twice")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void unsupportedDialectsAreNamed()
    {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql+mysqldb://airflow:hunter2@db/airflow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported database 'mysql+mysqldb'")
                .hasMessageContaining("supports PostgreSQL (postgresql://) and SQLite (sqlite://)")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("mssql+pyodbc://sa:pw@db/airflow")).hasMessageContaining("unsupported database 'mssql+pyodbc'");
        assertThatThrownBy(() -> DatabaseUrl.parse("not a url :hunter2@")).hasMessageContaining("not a SQLAlchemy URL").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse(" ")).hasMessageContaining("empty");
    }

    @Test
    void jdbcUrlsPassThrough()
    {
        DatabaseUrl postgres = DatabaseUrl.parse("jdbc:postgresql://db:5432/airflow?user=airflow&password=hunter2&ssl=true");
        assertThat(postgres.dialect()).isEqualTo(DatabaseUrl.Dialect.POSTGRESQL);
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/airflow?user=airflow&password=hunter2&ssl=true");
        assertThat(postgres.toString()).isEqualTo("PostgreSQL jdbc:postgresql://db:5432/airflow?user=airflow&password=****&ssl=true");

        DatabaseUrl sqlite = DatabaseUrl.parse("jdbc:sqlite:/tmp/x.db");
        assertThat(sqlite.dialect()).isEqualTo(DatabaseUrl.Dialect.SQLITE);
        assertThat(sqlite.sqliteFile()).isEqualTo(Optional.of(Path.of("/tmp/x.db")));
        assertThat(DatabaseUrl.parse("jdbc:sqlite::memory:").isInMemory()).isTrue();

        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:mysql://db/airflow?password=hunter2"))
                .hasMessageContaining("unsupported JDBC URL")
                .hasMessageNotContaining("hunter2");
    }
}
