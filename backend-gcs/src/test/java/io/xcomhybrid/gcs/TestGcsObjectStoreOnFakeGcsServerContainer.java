package io.xcomhybrid.gcs;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The contract on the fake-gcs-server container image, where a Docker engine exists. */
@Testcontainers(disabledWithoutDocker = true)
class TestGcsObjectStoreOnFakeGcsServerContainer
        extends AbstractTestGcsObjectStore
{
    @Override
    protected FakeGcsServerFixture.Endpoint endpoint()
    {
        return new FakeGcsServerFixture().fromDocker().orElseThrow();
    }
}
