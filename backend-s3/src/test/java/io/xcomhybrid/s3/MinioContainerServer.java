package io.xcomhybrid.s3;

import org.testcontainers.containers.MinIOContainer;

import java.net.URI;

/** Starts MinIO with Testcontainers; only {@link MinioFixture} calls it, and only where Docker runs. */
final class MinioContainerServer
{
    private MinioContainerServer() {}

    static S3Endpoint start(String image)
    {
        MinIOContainer container = new MinIOContainer(image);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new S3Endpoint(URI.create(container.getS3URL()), container.getUserName(), container.getPassword(), "us-east-1");
    }
}
