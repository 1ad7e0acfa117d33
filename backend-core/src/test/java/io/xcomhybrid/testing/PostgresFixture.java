package io.xcomhybrid.testing;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * PostgreSQL for integration tests: {@code XCOM_TEST_PG_JDBC_URL}, {@code XCOM_TEST_PG_USER} and
 * {@code XCOM_TEST_PG_PASSWORD} first (what {@code bin/servers/postgres.sh} writes), then a Testcontainers
 * {@code postgres:15} container, then a private native cluster started with {@code bin/servers/postgres.sh}.
 */
public final class PostgresFixture
        extends ServerFixture<PostgresFixture.Endpoint>
{
    private static final PostgresFixture SHARED = new PostgresFixture();

    /**
     * A server and a login. {@code stopCommand}/{@code startCommand} (shell commands) stop and start the same server
     * on the same port; {@code sslRootCert} is the certificate of a server that accepts TLS. Both are present only for
     * a native server.
     */
    public record Endpoint(String jdbcUrl, String user, String password, Optional<String> stopCommand, Optional<String> startCommand, Optional<Path> sslRootCert)
    {
        private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*).*");

        public Endpoint
        {
            requireNonNull(jdbcUrl, "jdbcUrl is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
            requireNonNull(stopCommand, "stopCommand is null");
            requireNonNull(startCommand, "startCommand is null");
            requireNonNull(sslRootCert, "sslRootCert is null");
        }

        /** The same login as Airflow's {@code sql_alchemy_conn}: {@code postgresql+psycopg2://user:password@host:port/db}. */
        public String sqlAlchemyUrl()
        {
            Matcher matcher = JDBC.matcher(jdbcUrl);
            if (!matcher.matches()) {
                throw new IllegalStateException("unexpected PostgreSQL JDBC URL " + jdbcUrl);
            }
            return "postgresql+psycopg2://" + encode(user) + ":" + encode(password) + "@" + matcher.group(1) + "/" + matcher.group(2);
        }

        public Connection connect()
                throws SQLException
        {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }

        /** Creates a fresh schema owned by the test user, for a test class of its own. */
        public String createSchema(String prefix)
        {
            String schema = prefix + "_" + Long.toHexString(System.nanoTime());
            try (Connection connection = connect()) {
                connection.createStatement().execute("CREATE SCHEMA " + schema);
            }
            catch (SQLException e) {
                throw new IllegalStateException("cannot create schema " + schema + " on " + jdbcUrl, e);
            }
            return schema;
        }

        public boolean restartable()
        {
            return stopCommand.isPresent() && startCommand.isPresent();
        }

        public void stopServer()
        {
            run(stopCommand.orElseThrow(() -> new IllegalStateException("PostgreSQL at " + jdbcUrl + " cannot be stopped by the tests")));
        }

        public void startServer()
        {
            run(startCommand.orElseThrow(() -> new IllegalStateException("PostgreSQL at " + jdbcUrl + " cannot be started by the tests")));
        }

        private static String encode(String value)
        {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }

        @Override
        public String toString()
        {
            return "PostgreSQL " + jdbcUrl + " as " + user;
        }
    }

    private PostgresFixture() {}

    /** The server shared by all PostgreSQL test classes of this JVM. */
    public static Endpoint shared()
    {
        return SHARED.endpoint();
    }

    /**
     * A native server of its own, always started by this JVM (never the shared one), for tests that stop and start
     * it or need its TLS certificate. Stopped when the JVM exits.
     */
    public static Endpoint startPrivateNative()
    {
        return startNative("private").orElseThrow(() -> new IllegalStateException(
                "cannot start a private PostgreSQL with bin/servers/postgres.sh (the standard error output names its log)"));
    }

    @Override
    protected String serverName()
    {
        return "PostgreSQL";
    }

    @Override
    protected Optional<Endpoint> fromEnvironment(Map<String, String> environment)
    {
        String url = environment.get("XCOM_TEST_PG_JDBC_URL");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(url,
                environment.getOrDefault("XCOM_TEST_PG_USER", "postgres"),
                environment.getOrDefault("XCOM_TEST_PG_PASSWORD", ""),
                Optional.ofNullable(environment.get("XCOM_TEST_PG_STOP_CMD")).filter(value -> !value.isBlank()),
                Optional.ofNullable(environment.get("XCOM_TEST_PG_START_CMD")).filter(value -> !value.isBlank()),
                Optional.ofNullable(environment.get("XCOM_TEST_PG_SSL_ROOT_CERT")).filter(value -> !value.isBlank()).map(Path::of)));
    }

    @Override
    protected Optional<Endpoint> fromDocker()
    {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("postgres:15-alpine"))
                .withEnv("POSTGRES_USER", "xcom")
                .withEnv("POSTGRES_PASSWORD", "xcom-test-password")
                .withEnv("POSTGRES_DB", "xcom_test")
                .withExposedPorts(5432)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        String url = "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/xcom_test";
        return Optional.of(new Endpoint(url, "xcom", "xcom-test-password", Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Override
    protected Optional<Endpoint> fromNativeServer()
    {
        return startNative("shared");
    }

    @Override
    protected String howToProvide()
    {
        return "run 'bin/servers/postgres.sh start STATE_DIR' and 'source STATE_DIR/postgres.env' (sets XCOM_TEST_PG_JDBC_URL, "
                + "XCOM_TEST_PG_USER, XCOM_TEST_PG_PASSWORD), or start Docker, or install PostgreSQL (Debian package 'postgresql')";
    }

    private static Optional<Endpoint> startNative(String name)
    {
        Optional<Path> script = findScript();
        if (script.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path state = Files.createTempDirectory("xcom-pg-" + name + "-");
            // the script's output goes to a file: written straight to the forked JVM's stdout it corrupts surefire's channel
            Path log = state.resolve("postgres.sh.log");
            int exit = new ProcessBuilder(script.get().toString(), "start", state.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
            if (exit != 0) {
                System.err.printf("%s start %s exited with %d; its output is in %s%n", script.get(), state, exit, log);
                return Optional.empty();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder(script.get().toString(), "stop", state.toString())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start().waitFor(60, TimeUnit.SECONDS);
                    Files.deleteIfExists(log);
                    Files.deleteIfExists(state);
                }
                catch (IOException e) {
                    // best effort at JVM exit
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Map<String, String> variables = readEnvFile(state.resolve("postgres.env"));
            return SHARED.fromEnvironment(variables);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> findScript()
    {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            Path script = directory.resolve("bin/servers/postgres.sh");
            if (Files.isExecutable(script)) {
                return Optional.of(script);
            }
        }
        return Optional.empty();
    }

    /** Reads {@code export NAME='value'} lines as written by the server scripts. */
    static Map<String, String> readEnvFile(Path file)
            throws IOException
    {
        Map<String, String> variables = new HashMap<>();
        Pattern line = Pattern.compile("export ([A-Z0-9_]+)='(.*)'");
        for (String text : Files.readAllLines(file)) {
            Matcher matcher = line.matcher(text.trim());
            if (matcher.matches()) {
                variables.put(matcher.group(1), matcher.group(2));
            }
        }
        return variables;
    }

    /** Runs a shell command, failing the test with its output when it exits non-zero. */
    static void run(String command)
    {
        try {
            Process process = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + command + "\n" + output);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
