package io.xcomhybrid.s3;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The S3 store contract on a MinIO container, whatever the environment says; reported as skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class TestS3ObjectStoreOnMinioContainer
        extends AbstractTestS3ObjectStore
{
    @Override
    protected S3Endpoint endpoint()
    {
        return MinioFixture.startContainer();
    }
}
