package io.xcomhybrid.s3;

import io.xcomhybrid.config.Connection;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Where a test S3 server answers and the root credentials that may create buckets there. */
public record S3Endpoint(URI endpoint, String accessKey, String secretKey, String region)
{
    public S3Endpoint
    {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(accessKey, "accessKey is null");
        requireNonNull(secretKey, "secretKey is null");
        requireNonNull(region, "region is null");
    }

    /** An Airflow {@code aws} connection to this server, as {@code AIRFLOW_CONN_<ID>} would give it (credentials in extras). */
    public Connection connection(String connId)
    {
        return new Connection(connId, "aws", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of("endpoint_url", endpoint.toString(), "region_name", region, "aws_access_key_id", accessKey, "aws_secret_access_key", secretKey));
    }

    /** The same connection as an {@code AIRFLOW_CONN_<ID>} JSON value. */
    public String connectionJson()
    {
        return "{\"conn_type\": \"aws\", \"extra\": {\"endpoint_url\": \"" + endpoint + "\", \"region_name\": \"" + region
                + "\", \"aws_access_key_id\": \"" + accessKey + "\", \"aws_secret_access_key\": \"" + secretKey + "\"}}";
    }

    /** A path-style client with the root credentials, for test setup and checks; the caller closes it. */
    public S3Client client()
    {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    @Override
    public String toString()
    {
        return "S3Endpoint{" + endpoint + ", region=" + region + "}";
    }
}
