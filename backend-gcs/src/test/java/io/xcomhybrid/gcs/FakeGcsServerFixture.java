package io.xcomhybrid.gcs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.xcomhybrid.testing.ServerFixture;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * fake-gcs-server, the Google Cloud Storage emulator: {@code XCOM_TEST_GCS_ENDPOINT}/{@code XCOM_TEST_GCS_PROJECT}
 * (written by {@code bin/servers/fake-gcs.sh}), else a container, else the cached native binary started here.
 */
public final class FakeGcsServerFixture
        extends ServerFixture<FakeGcsServerFixture.Endpoint>
{
    public static final FakeGcsServerFixture INSTANCE = new FakeGcsServerFixture();

    static final String IMAGE = "fsouza/fake-gcs-server:1.55.1";
    static final String DEFAULT_PROJECT = "xcom-test";
    private static final int CONTAINER_PORT = 4443;

    /** @param url base URL, e.g. {@code http://127.0.0.1:4443} */
    public record Endpoint(String url, String project)
    {
        /** A client for test setup and inspection, bypassing the store under test. */
        public Storage client()
        {
            return StorageOptions.http()
                    .setHost(url)
                    .setProjectId(project)
                    .setCredentials(NoCredentials.getInstance())
                    .build()
                    .getService();
        }
    }

    @Override
    protected String serverName()
    {
        return "fake-gcs-server";
    }

    @Override
    protected Optional<Endpoint> fromEnvironment(Map<String, String> environment)
    {
        return Optional.ofNullable(environment.get("XCOM_TEST_GCS_ENDPOINT"))
                .filter(url -> !url.isBlank())
                .map(url -> new Endpoint(url, environment.getOrDefault("XCOM_TEST_GCS_PROJECT", DEFAULT_PROJECT)));
    }

    @Override
    protected Optional<Endpoint> fromDocker()
    {
        @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withExposedPorts(CONTAINER_PORT)
                .withCommand("-scheme", "http", "-port", String.valueOf(CONTAINER_PORT), "-backend", "memory")
                .waitingFor(Wait.forHttp("/storage/v1/b").forPort(CONTAINER_PORT));
        container.start();
        String url = "http://" + container.getHost() + ":" + container.getMappedPort(CONTAINER_PORT);
        // Resumable uploads continue at the Location the server returns, which must be the mapped address.
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/_internal/config"))
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"externalUrl\": \"" + url + "\"}"))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("fake-gcs-server container refused its external URL: HTTP " + response.statusCode());
            }
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot configure the fake-gcs-server container at " + url, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Optional.of(new Endpoint(url, DEFAULT_PROJECT));
    }

    @Override
    protected Optional<Endpoint> fromNativeServer()
    {
        String cache = Optional.ofNullable(System.getenv("XCOM_CACHE"))
                .orElse(System.getProperty("user.home") + "/.cache/xcom-hybrid");
        Path binary = Path.of(cache, "bin", "fake-gcs-server");
        if (!Files.isExecutable(binary)) {
            return Optional.empty();
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String url = "http://127.0.0.1:" + port;
            Path log = Files.createTempFile("fake-gcs-server", ".log");
            Process process = new ProcessBuilder(binary.toString(), "-scheme", "http", "-host", "127.0.0.1",
                    "-port", String.valueOf(port), "-external-url", url, "-backend", "memory", "-log-level", "warn")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            for (int attempt = 0; attempt < 100; attempt++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("fake-gcs-server exited at startup; see " + log);
                }
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/storage/v1/b?project=" + DEFAULT_PROJECT)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return Optional.of(new Endpoint(url, DEFAULT_PROJECT));
                    }
                }
                catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            process.destroy();
            throw new IllegalStateException("fake-gcs-server did not answer on " + url + " within 10 s; see " + log);
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot start " + binary, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String howToProvide()
    {
        return "run bin/servers/fake-gcs.sh start STATE_DIR and source STATE_DIR/fake-gcs.env (sets XCOM_TEST_GCS_ENDPOINT), "
                + "or start a Docker engine, or install the binary: GOBIN=~/.cache/xcom-hybrid/bin go install github.com/fsouza/fake-gcs-server@v1.55.1";
    }
}
