package io.xcomhybrid.s3;

import io.xcomhybrid.store.Location;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.FileAlreadyExistsException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages for errors a test server cannot be made to produce on demand (throttling, timeouts). */
class TestS3Errors
{
    private static final Location LOCATION = Location.parse("s3://aws_prod@bucket/xcoms/dag/run/task/0b7c26f7.gz");
    private static final S3ConnectionSettings SETTINGS = S3ConnectionSettings.from(Optional.of("aws_prod"), Optional.empty());

    @Test
    void throttlingAfterRetriesSaysSoAndNamesTheSetting()
    {
        IOException error = S3Errors.translate("open", LOCATION, SETTINGS, s3Exception(503, "SlowDown", "Please reduce your request rate.", 5));
        assertThat(error).hasMessage("S3 kept throttling the request to open " + LOCATION + " (connection 'aws_prod') after 5 attempts: "
                + "SlowDown (HTTP 503): Please reduce your request rate.; lower the request rate or raise s3_max_attempts in [xcom_hybrid]");
        assertThat(error.getCause()).isInstanceOf(S3Exception.class);
    }

    @Test
    void mapsStatusCodesToTheStoreContract()
    {
        assertThat(S3Errors.translate("open", LOCATION, SETTINGS, s3Exception(404, "NoSuchKey", "The specified key does not exist.", 1)))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("Object not found: " + LOCATION);
        assertThat(S3Errors.translate("open", LOCATION, SETTINGS, s3Exception(404, "NoSuchBucket", "The specified bucket does not exist", 1)))
                .isNotInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("bucket 'bucket' does not exist");
        assertThat(S3Errors.translate("create", LOCATION, SETTINGS, s3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 1)))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(LOCATION.toString());
        assertThat(S3Errors.translate("create", LOCATION, SETTINGS, s3Exception(403, "AccessDenied", "Access Denied", 1)))
                .hasMessage("Access denied trying to create " + LOCATION + ": AccessDenied (HTTP 403): Access Denied; "
                        + "check the credentials and permissions of connection 'aws_prod'");
        assertThat(S3Errors.translate("delete", LOCATION, SETTINGS, s3Exception(500, "InternalError", "We encountered an internal error.", 5)))
                .hasMessage("Failed to delete " + LOCATION + " (connection 'aws_prod'): InternalError (HTTP 500): We encountered an internal error.");
    }

    @Test
    void clientSideFailuresKeepTheRootCause()
    {
        SdkClientException refused = SdkClientException.builder()
                .message("Unable to execute HTTP request: Connect to 127.0.0.1:9 failed")
                .cause(new ConnectException("Connection refused"))
                .build();
        assertThat(S3Errors.translate("open", LOCATION, SETTINGS, refused))
                .hasMessage("Failed to open " + LOCATION + " (connection 'aws_prod'): Unable to execute HTTP request: Connect to 127.0.0.1:9 failed: Connection refused")
                .hasCause(refused);
        assertThat(S3Errors.translate("open", LOCATION, SETTINGS, ApiCallAttemptTimeoutException.create(120_000)))
                .hasMessageStartingWith("Timed out trying to open " + LOCATION)
                .hasMessageContaining("s3_request_timeout");
    }

    private static S3Exception s3Exception(int status, String code, String message, int attempts)
    {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message)
                .numAttempts(attempts)
                .build();
    }
}
