package io.xcomhybrid.compat;

import io.xcomhybrid.testing.ServerFixture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * MinIO for the S3 conformance run: the {@code XCOM_TEST_S3_*} variables first (what {@code bin/test} exports), else a
 * native MinIO started through the project's {@code bin/servers/minio.sh} with its state under {@code target/}.
 * The Docker path is not offered here: the conformance suite needs the Airflow venvs anyway, which are native.
 */
final class CompatMinio
        extends ServerFixture<CompatMinio.Endpoint>
{
    private static final Supplier<CompatMinio> INSTANCE = memoize(CompatMinio::new);

    record Endpoint(String url, String accessKey, String secretKey, String region)
    {
        /** The connection as Airflow reads {@code AIRFLOW_CONN_<ID>} in JSON form (credentials in extra). */
        String connectionJson()
        {
            return "{\"conn_type\": \"aws\", \"extra\": {\"endpoint_url\": \"" + url + "\", \"region_name\": \"" + region
                    + "\", \"aws_access_key_id\": \"" + accessKey + "\", \"aws_secret_access_key\": \"" + secretKey + "\"}}";
        }

        @Override
        public String toString()
        {
            return "Endpoint{" + url + ", region=" + region + "}";
        }
    }

    static CompatMinio instance()
    {
        return INSTANCE.get();
    }

    @Override
    protected String serverName()
    {
        return "MinIO";
    }

    @Override
    protected Optional<Endpoint> fromEnvironment(Map<String, String> environment)
    {
        String url = environment.get("XCOM_TEST_S3_ENDPOINT");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(url, environment.getOrDefault("XCOM_TEST_S3_ACCESS_KEY", ""),
                environment.getOrDefault("XCOM_TEST_S3_SECRET_KEY", ""), environment.getOrDefault("XCOM_TEST_S3_REGION", "us-east-1")));
    }

    @Override
    protected Optional<Endpoint> fromDocker()
    {
        return Optional.empty();
    }

    @Override
    protected Optional<Endpoint> fromNativeServer()
    {
        Path script = CompatPaths.moduleDir().getParent().resolve("bin/servers/minio.sh");
        if (!Files.isRegularFile(script)) {
            return Optional.empty();
        }
        try {
            Path state = Files.createDirectories(CompatPaths.targetDir().resolve("minio-state"));
            Path log = CompatPaths.targetDir().resolve("minio-start.log");
            Process start = new ProcessBuilder("bash", script.toString(), "start", state.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!start.waitFor(10, TimeUnit.MINUTES) || start.exitValue() != 0) {
                throw new IllegalStateException(script + " start failed; " + log + ":\n" + AirflowHarness.tail(log));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("bash", script.toString(), "stop", state.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
                }
                catch (IOException | InterruptedException ignored) {
                    // the JVM is exiting; the pid file lets the next run stop it
                }
            }));
            Map<String, String> variables = new HashMap<>();
            for (String line : Files.readAllLines(state.resolve("minio.env"), StandardCharsets.UTF_8)) {
                String assignment = line.startsWith("export ") ? line.substring("export ".length()) : line;
                int equals = assignment.indexOf('=');
                if (equals > 0) {
                    variables.put(assignment.substring(0, equals).trim(), assignment.substring(equals + 1).trim());
                }
            }
            return fromEnvironment(variables);
        }
        catch (IOException e) {
            throw new IllegalStateException("Cannot start MinIO with " + script + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting MinIO", e);
        }
    }

    @Override
    protected String howToProvide()
    {
        return "set XCOM_TEST_S3_ENDPOINT / XCOM_TEST_S3_ACCESS_KEY / XCOM_TEST_S3_SECRET_KEY / XCOM_TEST_S3_REGION "
                + "(bin/servers/minio.sh start DIR writes them), or keep bin/servers/minio.sh in the repository";
    }
}
