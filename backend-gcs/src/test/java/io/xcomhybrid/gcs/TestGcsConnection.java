package io.xcomhybrid.gcs;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.Connection;
import io.xcomhybrid.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which credentials, project and endpoint a connection gives the client (no server involved: these are claims about
 * how the client is built, not about storage).
 */
class TestGcsConnection
{
    private static final ServiceAccountKeys.Key KEY = ServiceAccountKeys.generate("xcom-writer", "key-project");
    private static final ServiceAccountKeys.Key OTHER_KEY = ServiceAccountKeys.generate("someone-else", "other-project");

    @TempDir
    Path temp;

    @Test
    void keyfileDictObjectGivesThatServiceAccount()
            throws IOException
    {
        GcsConnection connection = resolve(Map.of("keyfile_dict", KEY.json()));
        assertServiceAccount(connection, KEY);
        assertThat(connection.projectId()).contains("key-project");
        assertThat(connection.endpoint()).isEmpty();
        assertThat(connection.principal()).isEqualTo("connection 'gcs_conn', service account " + KEY.clientEmail() + " from keyfile_dict");
    }

    @Test
    void keyfileDictStringAndLegacyPrefixAreRead()
            throws IOException
    {
        assertServiceAccount(resolve(Map.of("keyfile_dict", KEY.jsonText())), KEY);
        assertServiceAccount(resolve(Map.of("extra__google_cloud_platform__keyfile_dict", KEY.jsonText())), KEY);
    }

    @Test
    void shortExtraNameWinsOverLegacyPrefix()
            throws IOException
    {
        GcsConnection connection = resolve(Map.of(
                "keyfile_dict", KEY.jsonText(),
                "extra__google_cloud_platform__keyfile_dict", OTHER_KEY.jsonText()));
        assertServiceAccount(connection, KEY);
    }

    @Test
    void keyPathGivesThatServiceAccount()
            throws IOException
    {
        Path keyFile = temp.resolve("key.json");
        Files.writeString(keyFile, KEY.jsonText());
        GcsConnection connection = resolve(Map.of("key_path", keyFile.toString(), "project", "override-project"));
        assertServiceAccount(connection, KEY);
        assertThat(connection.projectId()).contains("override-project");
        assertThat(connection.principal()).contains(KEY.clientEmail()).contains("key_path");
    }

    @Test
    void scopeExtraScopesTheCredentials()
            throws IOException
    {
        GcsConnection connection = resolve(Map.of("keyfile_dict", KEY.json(), "scope", "https://www.googleapis.com/auth/devstorage.read_write, https://www.googleapis.com/auth/cloud-platform"));
        assertThat(((ServiceAccountCredentials) connection.credentials()).getScopes())
                .containsExactly("https://www.googleapis.com/auth/devstorage.read_write", "https://www.googleapis.com/auth/cloud-platform");
    }

    @Test
    void factoryBuildsTheClientWithTheConnectionsCredentials()
            throws IOException
    {
        Map<String, String> environment = Map.of("AIRFLOW_CONN_GCS_CONN",
                "{\"conn_type\": \"google_cloud_platform\", \"extra\": {\"keyfile_dict\": " + KEY.jsonText() + "}}");
        AirflowConfig config = AirflowConfig.of(Map.of(GcsStoreConfig.SECTION, Map.of(
                GcsStoreConfig.CHUNK_SIZE, "524288",
                GcsStoreConfig.REQUEST_TIMEOUT, "7s",
                GcsStoreConfig.RETRIES, "2")), environment);
        try (ObjectStore store = new GcsObjectStoreFactory().create("gs", Optional.of("gcs_conn"), config.connection("gcs_conn"), config)) {
            Storage storage = ((GcsObjectStore) store).storage();
            assertThat(storage.getOptions().getCredentials()).isInstanceOfSatisfying(ServiceAccountCredentials.class, credentials -> {
                assertThat(credentials.getClientEmail()).isEqualTo(KEY.clientEmail());
                assertThat(credentials.getPrivateKeyId()).isEqualTo(KEY.privateKeyId());
            });
            assertThat(storage.getOptions().getProjectId()).isEqualTo("key-project");
            assertThat(storage.getOptions().getHost()).isEqualTo("https://storage.googleapis.com/");
            HttpTransportOptions transport = (HttpTransportOptions) storage.getOptions().getTransportOptions();
            assertThat(transport.getConnectTimeout()).isEqualTo(7000);
            assertThat(transport.getReadTimeout()).isEqualTo(7000);
            assertThat(storage.getOptions().getRetrySettings().getMaxAttempts()).isEqualTo(3);
            assertThat(((GcsObjectStore) store).principal()).contains(KEY.clientEmail());
        }
    }

    @Test
    void emulatorHostMeansNoCredentials()
            throws IOException
    {
        GcsConnection withoutConnId = GcsConnection.resolve(Optional.empty(), Optional.empty(), Map.of("STORAGE_EMULATOR_HOST", "localhost:4443"));
        assertThat(withoutConnId.credentials()).isSameAs(NoCredentials.getInstance());
        assertThat(withoutConnId.endpoint()).contains("http://localhost:4443");
        assertThat(withoutConnId.projectId()).contains(GcsConnection.EMULATOR_PROJECT);

        GcsConnection withConnection = GcsConnection.resolve(Optional.of("gcs_conn"), Optional.of(connection(Map.of("keyfile_dict", KEY.json()))),
                Map.of("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9023/"));
        assertThat(withConnection.credentials()).isSameAs(NoCredentials.getInstance());
        assertThat(withConnection.endpoint()).contains("http://127.0.0.1:9023");

        GcsConnection httpsEmulator = GcsConnection.resolve(Optional.of("gcs_conn"), Optional.of(connection(Map.of("keyfile_dict", KEY.json()))),
                Map.of("STORAGE_EMULATOR_HOST", "https://localhost:4443"));
        assertThat(httpsEmulator.credentials()).isSameAs(NoCredentials.getInstance());
    }

    @Test
    void httpsEndpointKeepsTheConnectionsCredentials()
            throws IOException
    {
        GcsConnection connection = resolve(Map.of("keyfile_dict", KEY.json(), "gcs.endpoint", "https://storage-private.p.googleapis.com"));
        assertServiceAccount(connection, KEY);
        assertThat(connection.endpoint()).contains("https://storage-private.p.googleapis.com");
    }

    @Test
    void anonymousConnection()
            throws IOException
    {
        GcsConnection connection = resolve(Map.of("is_anonymous", true, "keyfile_dict", KEY.json()));
        assertThat(connection.credentials()).isSameAs(NoCredentials.getInstance());
        assertThat(connection.principal()).contains("anonymous");
    }

    @Test
    void undefinedConnectionIsAnErrorNotDefaultCredentials()
    {
        assertThatThrownBy(() -> GcsConnection.resolve(Optional.of("gcs_conn"), Optional.empty(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'gcs_conn' is not defined")
                .hasMessageContaining("AIRFLOW_CONN_GCS_CONN");
    }

    @Test
    void wrongConnectionTypeIsRejected()
    {
        Connection aws = new Connection("gcs_conn", "aws", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
        assertThatThrownBy(() -> GcsConnection.resolve(Optional.of("gcs_conn"), Optional.of(aws), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("conn_type 'aws'")
                .hasMessageContaining("google_cloud_platform");
    }

    @Test
    void keyPathAndKeyfileDictAreMutuallyExclusive()
    {
        assertThatThrownBy(() -> resolve(Map.of("key_path", "/k.json", "keyfile_dict", KEY.json())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mutually exclusive");
    }

    @Test
    void unsupportedCredentialSourcesAreRejected()
    {
        assertThatThrownBy(() -> resolve(Map.of("keyfile_dict", KEY.json(), "impersonation_chain", "sa@p.iam.gserviceaccount.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("impersonation_chain")
                .hasMessageContaining("gcs_conn");
    }

    @Test
    void badKeysAreNamedWithoutTheirContent()
    {
        String broken = KEY.jsonText().substring(0, 200);
        assertThatThrownBy(() -> resolve(Map.of("keyfile_dict", broken)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyfile_dict is not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE KEY").doesNotContain(KEY.privateKeyId()));

        Map<String, Object> notServiceAccount = new HashMap<>(KEY.json());
        notServiceAccount.remove("private_key");
        assertThatThrownBy(() -> resolve(Map.of("keyfile_dict", notServiceAccount)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyfile_dict");

        assertThatThrownBy(() -> resolve(Map.of("key_path", temp.resolve("absent.json").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key file does not exist")
                .hasMessageContaining("absent.json");
        assertThatThrownBy(() -> resolve(Map.of("key_path", "/keys/legacy.p12")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("P12");
    }

    @Test
    void toStringNeverShowsKeyMaterial()
            throws IOException
    {
        GcsConnection connection = resolve(Map.of("keyfile_dict", KEY.json()));
        assertThat(connection.toString())
                .contains(KEY.clientEmail())
                .doesNotContain("PRIVATE KEY")
                .doesNotContain(KEY.privateKeyId());
    }

    private static void assertServiceAccount(GcsConnection connection, ServiceAccountKeys.Key key)
    {
        assertThat(connection.credentials()).isInstanceOfSatisfying(ServiceAccountCredentials.class, credentials -> {
            assertThat(credentials.getClientEmail()).isEqualTo(key.clientEmail());
            assertThat(credentials.getPrivateKeyId()).isEqualTo(key.privateKeyId());
        });
    }

    private static GcsConnection resolve(Map<String, Object> extra)
            throws IOException
    {
        return GcsConnection.resolve(Optional.of("gcs_conn"), Optional.of(connection(extra)), Map.of());
    }

    private static Connection connection(Map<String, Object> extra)
    {
        return new Connection("gcs_conn", "google_cloud_platform", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), extra);
    }
}
