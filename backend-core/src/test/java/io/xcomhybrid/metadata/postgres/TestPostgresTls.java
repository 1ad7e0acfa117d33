package io.xcomhybrid.metadata.postgres;

import io.xcomhybrid.metadata.AbstractMetadataStoreTest;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.SchemaMode;
import io.xcomhybrid.metadata.XComFilter;
import io.xcomhybrid.testing.PostgresFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS settings travel in the URL query with libpq's names, as in Airflow's sql_alchemy_conn. Uses a private native server with a self-signed certificate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPostgresTls
{
    private PostgresFixture.Endpoint endpoint;
    private Path rootCert;
    private String schema;

    @BeforeAll
    void setUp()
    {
        endpoint = PostgresFixture.startPrivateNative();
        rootCert = endpoint.sslRootCert().orElseThrow(() -> new IllegalStateException(
                "bin/servers/postgres.sh started PostgreSQL without TLS (is openssl installed?)"));
        schema = endpoint.createSchema("tls");
    }

    @Test
    void verifyFullConnectsOverTls()
            throws SQLException
    {
        try (MetadataStore store = PostgresStores.createWithQuery(endpoint, schema, SchemaMode.STANDALONE,
                "sslmode=verify-full&sslrootcert=" + rootCert + "&application_name=xcom-tls-verify")) {
            store.list(XComFilter.ALL);
            assertThat(sslOf("xcom-tls-verify")).contains(true);
        }
    }

    @Test
    void disableConnectsInPlainText()
            throws SQLException
    {
        try (MetadataStore store = PostgresStores.createWithQuery(endpoint, schema, SchemaMode.STANDALONE, "sslmode=disable&application_name=xcom-tls-off")) {
            store.list(XComFilter.ALL);
            assertThat(sslOf("xcom-tls-off")).contains(false);
        }
    }

    @Test
    void untrustedCertificateIsRefused()
            throws IOException
    {
        // a valid certificate that did not sign the server's
        Path other = otherCertificate();
        try (MetadataStore store = PostgresStores.createWithQuery(endpoint, schema, SchemaMode.STANDALONE,
                "sslmode=verify-full&sslrootcert=" + other + "&connect_timeout=3")) {
            assertThatThrownBy(store::check)
                    .isInstanceOf(MetadataStoreException.class)
                    .hasMessageContaining("Failed to check")
                    .hasMessageContaining("sslmode=verify-full")
                    .hasMessageContaining("SSL error");
        }
        finally {
            AbstractMetadataStoreTest.deleteRecursively(other.getParent());
        }

    }

    private static Path otherCertificate()
            throws IOException
    {
        Path directory = Files.createTempDirectory("other-root");
        Path keyStore = directory.resolve("other.p12");
        Path certificate = directory.resolve("other.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "other", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-validity", "30");
        run(keytool, "-exportcert", "-rfc", "-alias", "other", "-keystore", keyStore.toString(), "-storepass", "changeit", "-file", certificate.toString());
        return certificate;
    }

    private static void run(String... command)
            throws IOException
    {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Whether the backend serving {@code applicationName} uses TLS, as the server reports it. */
    private Optional<Boolean> sslOf(String applicationName)
            throws SQLException
    {
        try (Connection connection = endpoint.connect();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid WHERE a.application_name = ?")) {
            select.setString(1, applicationName);
            try (ResultSet resultSet = select.executeQuery()) {
                return resultSet.next() ? Optional.of(resultSet.getBoolean(1)) : Optional.empty();
            }
        }
    }
}
