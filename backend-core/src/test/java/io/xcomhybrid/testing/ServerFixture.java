package io.xcomhybrid.testing;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one way integration tests find a server: an endpoint from the environment first (what {@code bin/test} exports
 * after starting native servers, or a user's own server), then a Testcontainers container where a Docker engine
 * runs, then a native server the fixture starts itself. Each server kind (PostgreSQL, MinIO, fake-gcs-server) has a
 * subclass that knows its variables, its container and its native binary.
 *
 * <p>When none of the three is available the test fails with a message saying how to provide one; it is never
 * silently skipped.
 */
public abstract class ServerFixture<E>
{
    private E endpoint;
    private String origin;

    /** Human name for messages, e.g. "MinIO". */
    protected abstract String serverName();

    /** The endpoint described by environment variables, if they are set. */
    protected abstract Optional<E> fromEnvironment(Map<String, String> environment);

    /** A container-backed endpoint; only called when Docker is available. */
    protected abstract Optional<E> fromDocker();

    /** A native server started by the fixture (binary cached by {@code bin/test}), if possible. */
    protected abstract Optional<E> fromNativeServer();

    /** How a user provides this server, for the failure message. */
    protected abstract String howToProvide();

    public final synchronized E endpoint()
    {
        if (endpoint != null) {
            return endpoint;
        }
        Optional<E> found = fromEnvironment(System.getenv());
        origin = "environment";
        if (found.isEmpty() && DockerAvailability.isDockerAvailable()) {
            found = fromDocker();
            origin = "docker";
        }
        if (found.isEmpty()) {
            found = fromNativeServer();
            origin = "native";
        }
        endpoint = found.orElseThrow(() -> new IllegalStateException(
                "No " + serverName() + " for integration tests: " + howToProvide()));
        return endpoint;
    }

    /** Where the endpoint came from: environment, docker or native. */
    public final synchronized String origin()
    {
        endpoint();
        return origin;
    }

    /** Lazily evaluated, so test classes can hold a fixture in a static field. */
    public static <T> Supplier<T> memoize(Supplier<T> supplier)
    {
        return new Supplier<>()
        {
            private T value;

            @Override
            public synchronized T get()
            {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
