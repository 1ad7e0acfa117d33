package io.xcomhybrid.gcs;

import com.google.cloud.storage.Storage;

import java.util.Optional;

/** The contract on fake-gcs-server, found by the shared fixture: environment, then Docker, then the native binary. */
class TestGcsObjectStoreOnFakeGcsServer
        extends AbstractTestGcsObjectStore
{
    private FakeGcsServerFixture.Endpoint endpoint;

    @Override
    protected Storage createClient()
    {
        endpoint = FakeGcsServerFixture.INSTANCE.endpoint();
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
