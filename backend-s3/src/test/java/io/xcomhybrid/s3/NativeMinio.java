package io.xcomhybrid.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A MinIO server process run from the binary {@code bin/servers/minio.sh} caches
 * ({@code ${XCOM_CACHE:-~/.cache/xcom-hybrid}/bin/minio}). Tests that must stop and restart a server (to fail an upload
 * half way) use it directly; {@link MinioFixture} uses it as its last resort.
 */
public final class NativeMinio
        implements AutoCloseable
{
    static final String ACCESS_KEY = "xcom-test-root";
    static final String SECRET_KEY = "xcom-test-secret-key";
    static final String REGION = "us-east-1";

    private final Path binary;
    private final Path dataDirectory;
    private final int port;
    private Process process;

    private NativeMinio(Path binary, Path dataDirectory, int port)
    {
        this.binary = requireNonNull(binary, "binary is null");
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.port = port;
    }

    /** The cached MinIO binary, if {@code bin/servers/minio.sh} (or bin/test) has installed it. */
    public static Optional<Path> binary()
    {
        String cache = Optional.ofNullable(System.getenv("XCOM_CACHE"))
                .orElse(System.getProperty("user.home") + "/.cache/xcom-hybrid");
        Path binary = Path.of(cache, "bin", "minio");
        return Files.isExecutable(binary) ? Optional.of(binary) : Optional.empty();
    }

    /** Starts MinIO on a free port with its data in {@code dataDirectory}. */
    public static NativeMinio start(Path binary, Path dataDirectory)
            throws IOException
    {
        NativeMinio minio = new NativeMinio(binary, dataDirectory, freePort());
        minio.start();
        return minio;
    }

    /** (Re)starts the server on the same port and data directory. */
    public synchronized void start()
            throws IOException
    {
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(dataDirectory);
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "server", "--quiet", "--address", "127.0.0.1:" + port,
                "--console-address", "127.0.0.1:" + freePort(), dataDirectory.toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log").toFile());
        builder.environment().put("MINIO_ROOT_USER", ACCESS_KEY);
        builder.environment().put("MINIO_ROOT_PASSWORD", SECRET_KEY);
        builder.environment().put("MINIO_SITE_REGION", REGION);
        builder.environment().put("MINIO_BROWSER", "off");
        builder.environment().put("MINIO_UPDATE", "off");
        process = builder.start();
        awaitReady();
    }

    /** Kills the server at once (SIGKILL), as a crash or a network loss would look to a client. */
    public synchronized void kill()
            throws IOException
    {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping MinIO", e);
        }
        process = null;
    }

    public S3Endpoint endpoint()
    {
        return new S3Endpoint(URI.create("http://127.0.0.1:" + port), ACCESS_KEY, SECRET_KEY, REGION);
    }

    @Override
    public void close()
            throws IOException
    {
        kill();
    }

    private void awaitReady()
            throws IOException
    {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        // /minio/health/live answers as soon as the listener is up, before storage is initialised (S3 calls get 503
        // until then); /minio/health/cluster answers 200 only once the server can serve them
        HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/minio/health/cluster")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("MinIO exited during start-up with status " + process.exitValue() + "; see the log beside " + dataDirectory);
            }
            try {
                if (http.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for MinIO", e);
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for MinIO", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("MinIO did not become ready on port " + port + " within 30 s");
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
