package io.xcomhybrid.testing;

import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers; the Testcontainers path of {@link ServerFixture} is used only then. */
public final class DockerAvailability
{
    private static Boolean available;

    private DockerAvailability() {}

    public static synchronized boolean isDockerAvailable()
    {
        if (available == null) {
            boolean result;
            try {
                result = DockerClientFactory.instance().isDockerAvailable();
            }
            catch (RuntimeException | LinkageError e) {
                result = false;
            }
            available = result;
        }
        return available;
    }
}
