package io.xcomhybrid.s3;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.Connection;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How an Airflow aws connection becomes an S3 client: the client is built and inspected, no request is sent. */
class TestS3ConnectionSettings
{
    @Test
    void clientUsesEndpointRegionAndKeysFromExtras()
    {
        Connection connection = connection(Optional.empty(), Optional.empty(), Map.of(
                "endpoint_url", "http://minio.internal:9000",
                "region_name", "eu-west-3",
                "aws_access_key_id", "AKIDEXTRA",
                "aws_secret_access_key", "secret-extra"));
        try (Built built = build(connection)) {
            S3ServiceClientConfiguration configuration = built.client.serviceClientConfiguration();
            assertThat(configuration.endpointOverride()).contains(URI.create("http://minio.internal:9000"));
            assertThat(configuration.region()).isEqualTo(Region.EU_WEST_3);
            AwsCredentialsIdentity identity = configuration.credentialsProvider().resolveIdentity().join();
            assertThat(identity.accessKeyId()).isEqualTo("AKIDEXTRA");
            assertThat(identity.secretAccessKey()).isEqualTo("secret-extra");
            assertThat(identity).isNotInstanceOf(AwsSessionCredentialsIdentity.class);
            // a custom endpoint means path-style requests
            assertThat(built.client.utilities().getUrl(request -> request.bucket("bucket").key("xcom/a")).toString())
                    .isEqualTo("http://minio.internal:9000/bucket/xcom/a");
        }
    }

    @Test
    void loginAndPasswordWinOverExtrasAndSessionTokenIsKept()
    {
        Connection connection = connection(Optional.of("AKIDLOGIN"), Optional.of("secret-login"), Map.of(
                "aws_access_key_id", "AKIDEXTRA",
                "aws_secret_access_key", "secret-extra",
                "aws_session_token", "token-1",
                "region_name", "us-west-2"));
        try (Built built = build(connection)) {
            AwsCredentialsIdentity identity = built.client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            assertThat(identity.accessKeyId()).isEqualTo("AKIDLOGIN");
            assertThat(identity.secretAccessKey()).isEqualTo("secret-login");
            assertThat(identity).isInstanceOfSatisfying(AwsSessionCredentialsIdentity.class,
                    session -> assertThat(session.sessionToken()).isEqualTo("token-1"));
            assertThat(built.client.serviceClientConfiguration().endpointOverride()).isEmpty();
            // AWS itself: virtual-hosted requests
            assertThat(built.client.utilities().getUrl(request -> request.bucket("bucket").key("k")).getHost())
                    .isEqualTo("bucket.s3.us-west-2.amazonaws.com");
        }
    }

    @Test
    void uriFormConnectionFromEnvironment()
    {
        AirflowConfig config = AirflowConfig.of(Map.of(), Map.of("AIRFLOW_CONN_MINIO_CONN",
                "aws://AKIDURI:secret%2Furi@/?endpoint_url=http%3A%2F%2F127.0.0.1%3A9000&region_name=ap-south-1"));
        S3ConnectionSettings settings = S3ConnectionSettings.from(Optional.of("minio_conn"), config.connection("minio_conn"));
        assertThat(settings.accessKeyId()).contains("AKIDURI");
        assertThat(settings.secretAccessKey()).contains("secret/uri");
        assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(settings.region()).contains("ap-south-1");
        assertThat(settings.pathStyle()).isTrue();
        assertThat(settings.toString()).doesNotContain("secret/uri").doesNotContain("AKIDURI");
    }

    @Test
    void serviceConfigEndpointOverridesGlobalEndpointAndAddressingStyleIsRead()
    {
        S3ConnectionSettings settings = S3ConnectionSettings.from(Optional.of("c"), Optional.of(connection(Optional.empty(), Optional.empty(), Map.of(
                "endpoint_url", "http://global:1",
                "service_config", Map.of("s3", Map.of("endpoint_url", "http://s3-only:2"), "sts", Map.of("endpoint_url", "http://sts:3")),
                "config_kwargs", Map.of("s3", Map.of("addressing_style", "virtual"), "retries", Map.of("max_attempts", 7),
                        "connect_timeout", 2.5)))));
        assertThat(settings.endpoint()).contains(URI.create("http://s3-only:2"));
        assertThat(settings.stsEndpoint()).contains(URI.create("http://sts:3"));
        assertThat(settings.pathStyle()).isFalse();
        // botocore's max_attempts counts retries; the SDK counts attempts
        assertThat(settings.maxAttempts()).contains(8);
        assertThat(settings.connectTimeout()).contains(Duration.ofMillis(2500));
    }

    @Test
    void retryAttemptsReachTheClient()
    {
        Connection connection = connection(Optional.of("AKID"), Optional.of("secret"), Map.of(
                "region_name", "us-east-1", "config_kwargs", Map.of("retries", Map.of("total_max_attempts", 9))));
        try (Built built = build(connection)) {
            assertThat(built.client.serviceClientConfiguration().overrideConfiguration().retryStrategy())
                    .hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isEqualTo(9));
        }
    }

    @Test
    void roleArnAssumesTheRoleThroughSts()
    {
        Connection connection = connection("role_conn", Optional.of("AKID"), Optional.of("secret"), Map.of(
                "region_name", "eu-central-1",
                "role_arn", "arn:aws:iam::123456789012:role/xcom",
                "assume_role_kwargs", Map.of("ExternalId", "ext-1", "DurationSeconds", 900)));
        S3ConnectionSettings settings = S3ConnectionSettings.from(Optional.of("role_conn"), Optional.of(connection));
        assertThat(settings.roleArn()).contains("arn:aws:iam::123456789012:role/xcom");
        assertThat(settings.externalId()).contains("ext-1");
        assertThat(settings.roleDuration()).contains(Duration.ofMinutes(15));
        assertThat(settings.effectiveRoleSessionName()).isEqualTo("Airflow_role_conn");
        try (Built built = build(connection)) {
            assertThat(built.client.serviceClientConfiguration().credentialsProvider()).isInstanceOf(StsAssumeRoleCredentialsProvider.class);
            // S3 client, HTTP client, STS client and the refreshing provider are all owned and closed by the store
            assertThat(built.resources).hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void unsupportedAssumeRoleMethodIsRejected()
    {
        Connection connection = connection("saml", Optional.empty(), Optional.empty(), Map.of(
                "role_arn", "arn:aws:iam::123456789012:role/xcom", "assume_role_method", "assume_role_with_saml"));
        assertThatThrownBy(() -> S3ConnectionSettings.from(Optional.of("saml"), Optional.of(connection)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("assume_role_with_saml")
                .hasMessageContaining("connection 'saml'");
    }

    @Test
    void missingConnectionFallsBackToDefaultChain()
    {
        S3ConnectionSettings settings = S3ConnectionSettings.from(Optional.of("nowhere"), Optional.empty());
        assertThat(settings.connId()).contains("nowhere");
        assertThat(settings.accessKeyId()).isEmpty();
        assertThat(settings.endpoint()).isEmpty();
        Connection anonymousFallback = connection(Optional.empty(), Optional.empty(), Map.of("region_name", "us-east-1"));
        try (Built built = build(anonymousFallback)) {
            // the default chain, then anonymous access, as the amazon provider's fs/s3.py does
            assertThat(built.client.serviceClientConfiguration().credentialsProvider()).isInstanceOf(AwsCredentialsProviderChain.class);
        }
    }

    @Test
    void invalidExtrasNameTheConnection()
    {
        assertThatThrownBy(() -> S3ConnectionSettings.from(Optional.of("bad"), Optional.of(connection("bad", Optional.empty(), Optional.empty(),
                Map.of("endpoint_url", "not a url")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connection 'bad'");
        assertThatThrownBy(() -> S3ConnectionSettings.from(Optional.of("bad"), Optional.of(connection("bad", Optional.empty(), Optional.empty(),
                Map.of("config_kwargs", Map.of("s3", Map.of("addressing_style", "sideways")))))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sideways")
                .hasMessageContaining("connection 'bad'");
    }

    private static Connection connection(Optional<String> login, Optional<String> password, Map<String, Object> extra)
    {
        return connection("test_conn", login, password, extra);
    }

    private static Connection connection(String connId, Optional<String> login, Optional<String> password, Map<String, Object> extra)
    {
        return new Connection(connId, "aws", Optional.empty(), login, password, Optional.empty(), Optional.empty(), extra);
    }

    private static Built build(Connection connection)
    {
        List<AutoCloseable> resources = new ArrayList<>();
        S3Client client = S3ObjectStoreFactory.createClient(S3ConnectionSettings.from(Optional.of(connection.connId()), Optional.of(connection)),
                S3StoreConfig.defaults(), resources);
        return new Built(client, resources);
    }

    private record Built(S3Client client, List<AutoCloseable> resources)
            implements AutoCloseable
    {
        @Override
        public void close()
        {
            S3ObjectStore.closeAll(resources);
        }
    }
}
