package io.xcomhybrid.gcs;

/** The contract on fake-gcs-server, found by the shared fixture: environment, then Docker, then the native binary. */
class TestGcsObjectStoreOnFakeGcsServer
        extends AbstractTestGcsObjectStore
{
    @Override
    protected FakeGcsServerFixture.Endpoint endpoint()
    {
        return FakeGcsServerFixture.INSTANCE.endpoint();
    }
}
