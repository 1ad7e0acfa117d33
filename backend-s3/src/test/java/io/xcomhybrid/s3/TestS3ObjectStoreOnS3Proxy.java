package io.xcomhybrid.s3;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;

import java.net.URI;

/** The S3 store contract on S3Proxy, an independent S3 implementation run in-process over an in-memory blob store. */
class TestS3ObjectStoreOnS3Proxy
        extends AbstractTestS3ObjectStore
{
    private S3Proxy proxy;

    @Override
    protected S3Endpoint endpoint()
    {
        if (proxy == null) {
            try {
                proxy = S3Proxy.builder()
                        .blobStore(new TransientNio2BlobStore())
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "s3proxy-access", "s3proxy-secret")
                        // the SDK sends headers S3Proxy does not know (e.g. x-amz-sdk-checksum-algorithm)
                        .ignoreUnknownHeaders(true)
                        .build();
                proxy.start();
                while (!proxy.getState().equals("STARTED")) {
                    Thread.sleep(10);
                }
            }
            catch (Exception e) {
                throw new IllegalStateException("Cannot start S3Proxy", e);
            }
        }
        return new S3Endpoint(URI.create("http://127.0.0.1:" + proxy.getPort()), "s3proxy-access", "s3proxy-secret", "us-east-1");
    }

    /**
     * S3Proxy verifies the checksum the SDK sends with an upload but does not keep it, so HeadObject returns none.
     * (It does honour If-None-Match on PutObject and CompleteMultipartUpload, so conditional writes stay on.)
     */
    @Override
    protected boolean returnsStoredChecksums()
    {
        return false;
    }

    @AfterAll
    void stopProxy()
            throws Exception
    {
        if (proxy != null) {
            proxy.stop();
        }
    }
}
