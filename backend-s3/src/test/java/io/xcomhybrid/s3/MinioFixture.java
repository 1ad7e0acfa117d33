package io.xcomhybrid.s3;

import io.xcomhybrid.testing.ServerFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * MinIO for integration tests: {@code XCOM_TEST_S3_*} variables first (set by {@code bin/servers/minio.sh}), then a
 * Testcontainers MinIO where Docker runs, then a native MinIO from the cached binary. One server per JVM.
 */
public final class MinioFixture
        extends ServerFixture<S3Endpoint>
{
    // the release the Testcontainers path runs; conditional writes (If-None-Match) need MinIO from late 2024 on
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2024-12-18T13-15-44Z";

    private static final Supplier<MinioFixture> INSTANCE = memoize(MinioFixture::new);

    public static MinioFixture instance()
    {
        return INSTANCE.get();
    }

    @Override
    protected String serverName()
    {
        return "MinIO";
    }

    @Override
    protected Optional<S3Endpoint> fromEnvironment(Map<String, String> environment)
    {
        String endpoint = environment.get("XCOM_TEST_S3_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new S3Endpoint(URI.create(endpoint),
                environment.getOrDefault("XCOM_TEST_S3_ACCESS_KEY", ""),
                environment.getOrDefault("XCOM_TEST_S3_SECRET_KEY", ""),
                environment.getOrDefault("XCOM_TEST_S3_REGION", "us-east-1")));
    }

    @Override
    protected Optional<S3Endpoint> fromDocker()
    {
        return Optional.of(startContainer());
    }

    /** A fresh MinIO container, stopped when the JVM exits; for tests that insist on the Docker path. */
    static S3Endpoint startContainer()
    {
        // in its own class, so modules that reuse this fixture without Testcontainers on the class path never load it
        return MinioContainerServer.start(MINIO_IMAGE);
    }

    @Override
    protected Optional<S3Endpoint> fromNativeServer()
    {
        Optional<Path> binary = NativeMinio.binary();
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path data = Files.createTempDirectory("xcom-minio-");
            NativeMinio minio = NativeMinio.start(binary.get(), data.resolve("data"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    minio.close();
                    try (Stream<Path> files = Files.walk(data)) {
                        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
                catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
            return Optional.of(minio.endpoint());
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start the cached MinIO binary " + binary.get(), e);
        }
    }

    @Override
    protected String howToProvide()
    {
        return "run `bin/servers/minio.sh start STATE_DIR && source STATE_DIR/minio.env` (sets XCOM_TEST_S3_ENDPOINT, "
                + "XCOM_TEST_S3_ACCESS_KEY, XCOM_TEST_S3_SECRET_KEY, XCOM_TEST_S3_REGION), or start Docker";
    }
}
