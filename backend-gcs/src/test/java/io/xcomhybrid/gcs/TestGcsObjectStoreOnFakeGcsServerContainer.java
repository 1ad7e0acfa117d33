package io.xcomhybrid.gcs;

import com.google.cloud.storage.Storage;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.util.Optional;

/** The contract on the fake-gcs-server container image, where a Docker engine exists. */
@Testcontainers(disabledWithoutDocker = true)
class TestGcsObjectStoreOnFakeGcsServerContainer
        extends AbstractTestGcsObjectStore
{
    private FakeGcsServerFixture.Endpoint endpoint;

    @Override
    protected Storage createClient()
    {
        endpoint = new FakeGcsServerFixture().fromDocker().orElseThrow();
        return endpoint.client();
    }

    @Override
    protected String connectionExtra()
    {
        return "{\"gcs.endpoint\": \"" + endpoint.url() + "\", \"project\": \"" + endpoint.project() + "\"}";
    }

    @Override
    protected Optional<String> emulatorUrl()
    {
        return Optional.of(endpoint.url());
    }
}
