package io.xcomhybrid.s3;

/** The S3 store contract on MinIO: from {@code XCOM_TEST_S3_*}, else Docker, else the cached native binary. */
class TestS3ObjectStoreOnMinio
        extends AbstractTestS3ObjectStore
{
    @Override
    protected S3Endpoint endpoint()
    {
        return MinioFixture.instance().endpoint();
    }
}
