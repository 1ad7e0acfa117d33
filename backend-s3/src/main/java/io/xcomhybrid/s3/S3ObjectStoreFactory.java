package io.xcomhybrid.s3;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.Connection;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStoreFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Serves {@code s3://} locations, and {@code s3a://} and {@code s3n://} as the amazon provider's {@code fs/s3.py}
 * does. Each store gets its own client (one per conn_id, kept by {@link io.xcomhybrid.store.ObjectStores}).
 */
public final class S3ObjectStoreFactory
        implements ObjectStoreFactory
{
    // us-east-1 is where boto3 sends S3 requests when no region is configured
    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    @Override
    public Set<String> schemes()
    {
        return Set.of("s3", "s3a", "s3n");
    }

    @Override
    public ObjectStore create(String scheme, Optional<String> connId, Optional<Connection> connection, AirflowConfig config)
    {
        return createStore(S3ConnectionSettings.from(connId, connection), S3StoreConfig.from(config));
    }

    public static S3ObjectStore createStore(S3ConnectionSettings settings, S3StoreConfig config)
    {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            S3Client client = createClient(settings, config, resources);
            return new S3ObjectStore(client, settings, config, resources);
        }
        catch (RuntimeException e) {
            S3ObjectStore.closeAll(resources);
            throw e;
        }
    }

    /**
     * Builds the S3 client a connection describes. Everything it creates that needs closing (the client itself, an STS
     * client and its refreshing credentials provider) is added to {@code resources}.
     */
    static S3Client createClient(S3ConnectionSettings settings, S3StoreConfig config, List<AutoCloseable> resources)
    {
        Region region = settings.region().map(Region::of).orElseGet(S3ObjectStoreFactory::defaultRegion);
        int maxAttempts = settings.maxAttempts().orElse(config.maxAttempts());
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.forRetryMode(config.retryMode()).toBuilder().maxAttempts(maxAttempts).build());
        if (!config.requestTimeout().isZero()) {
            override.apiCallAttemptTimeout(config.requestTimeout());
        }

        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                // every open upload may run `parallelism` part uploads; leave room for reads and other uploads
                .maxConnections(Math.max(50, config.uploadParallelism() * 8));
        settings.connectTimeout().ifPresent(http::connectionTimeout);
        settings.readTimeout().ifPresent(http::socketTimeout);
        SdkHttpClient httpClient = http.build();
        resources.add(httpClient);

        S3ClientBuilder builder = S3Client.builder()
                .region(region)
                .httpClient(httpClient)
                .credentialsProvider(credentialsProvider(settings, region, resources))
                .forcePathStyle(settings.pathStyle())
                .overrideConfiguration(override.build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        if (settings.region().isEmpty() && settings.endpoint().isEmpty()) {
            // a bucket in another region than the guessed one is still found, as boto3 follows S3's redirects
            builder.crossRegionAccessEnabled(true);
        }
        S3Client client = builder.build();
        resources.add(0, client);
        return client;
    }

    private static AwsCredentialsProvider credentialsProvider(S3ConnectionSettings settings, Region region, List<AutoCloseable> resources)
    {
        if (settings.anonymous()) {
            return AnonymousCredentialsProvider.create();
        }
        AwsCredentialsProvider base;
        if (settings.accessKeyId().isPresent()) {
            base = StaticCredentialsProvider.create(settings.sessionToken()
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(token -> AwsSessionCredentials.create(
                            settings.accessKeyId().get(), settings.secretAccessKey().get(), token))
                    .orElseGet(() -> AwsBasicCredentials.create(settings.accessKeyId().get(), settings.secretAccessKey().get())));
        }
        else if (settings.profileName().isPresent()) {
            base = ProfileCredentialsProvider.create(settings.profileName().get());
        }
        else if (settings.roleArn().isPresent()) {
            DefaultCredentialsProvider defaults = DefaultCredentialsProvider.builder().build();
            resources.add(defaults);
            base = defaults;
        }
        else {
            // Like the amazon provider (fs/s3.py), fall back to anonymous access when no credentials are found at all.
            DefaultCredentialsProvider defaults = DefaultCredentialsProvider.builder().build();
            resources.add(defaults);
            return AwsCredentialsProviderChain.builder()
                    .credentialsProviders(defaults, AnonymousCredentialsProvider.create())
                    .reuseLastProviderEnabled(true)
                    .build();
        }
        if (settings.roleArn().isEmpty()) {
            return base;
        }
        StsClientBuilder sts = StsClient.builder()
                .region(region)
                .credentialsProvider(base);
        settings.stsEndpoint().ifPresent(sts::endpointOverride);
        StsClient stsClient = sts.build();
        resources.add(stsClient);
        StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(stsClient)
                .refreshRequest(request -> {
                    request.roleArn(settings.roleArn().get()).roleSessionName(settings.effectiveRoleSessionName());
                    settings.externalId().ifPresent(request::externalId);
                    settings.roleDuration().map(Duration::toSeconds).map(Math::toIntExact).ifPresent(request::durationSeconds);
                })
                .asyncCredentialUpdateEnabled(false)
                .build();
        resources.add(provider);
        return provider;
    }

    private static Region defaultRegion()
    {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        }
        catch (RuntimeException e) {
            return FALLBACK_REGION;
        }
    }
}
