package io.xcomhybrid.store.local;

/** The object-store contract and the local-file tests with {@code [xcom_hybrid] local_fsync = false}. */
class TestLocalObjectStoreWithoutFsync
        extends TestLocalObjectStore
{
    @Override
    protected boolean fsync()
    {
        return false;
    }
}
