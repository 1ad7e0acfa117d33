package io.xcomhybrid.s3;

import io.xcomhybrid.store.Location;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.Set;

/**
 * Turns SDK exceptions into {@link IOException}s whose message alone explains the failure (for CLI output) and names
 * the location; the SDK exception stays attached as the cause.
 */
final class S3Errors
{
    private static final Set<String> ACCESS_DENIED = Set.of(
            "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired",
            "AllAccessDisabled", "AccountProblem");
    private static final Set<String> THROTTLED = Set.of(
            "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests", "RequestThrottled");

    private S3Errors() {}

    /**
     * @param action what was attempted, as a verb phrase: "open", "delete", "upload part 3 of"
     * @param settings the connection, to say whose credentials failed; null when unknown
     */
    static IOException translate(String action, Location location, S3ConnectionSettings settings, SdkException e)
    {
        String connection = settings == null ? "" : " (" + settings.describe() + ")";
        if (e instanceof AbortedException) {
            InterruptedIOException interrupted = new InterruptedIOException("Interrupted while trying to " + action + " " + location);
            interrupted.initCause(e);
            return interrupted;
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return new IOException("Timed out trying to " + action + " " + location + connection + " (" + S3StoreConfig.REQUEST_TIMEOUT
                    + " in [" + S3StoreConfig.SECTION + "] sets the limit): " + e.getMessage(), e);
        }
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            int status = s3.statusCode();
            String detail = code + " (HTTP " + status + ")" + serverMessage(s3);
            if (code.equals("NoSuchBucket")) {
                return new IOException("Cannot " + action + " " + location + ": bucket '" + location.bucket() + "' does not exist" + connection, e);
            }
            if (code.equals("NoSuchKey") || (status == 404 && !code.equals("NoSuchUpload"))) {
                FileNotFoundException missing = new FileNotFoundException("Object not found: " + location);
                missing.initCause(e);
                return missing;
            }
            if (status == 412 || code.equals("PreconditionFailed") || code.equals("ConditionalRequestConflict")) {
                FileAlreadyExistsException exists = new FileAlreadyExistsException(location.toString(), null, "object already exists");
                exists.initCause(e);
                return exists;
            }
            if (status == 403 || ACCESS_DENIED.contains(code)) {
                return new IOException("Access denied trying to " + action + " " + location + ": " + detail
                        + "; check the credentials and permissions of " + (settings == null ? "the connection" : settings.describe()), e);
            }
            if (status == 503 || status == 429 || THROTTLED.contains(code)) {
                return new IOException("S3 kept throttling the request to " + action + " " + location + connection + " after "
                        + (e.numAttempts() == null ? "retries" : e.numAttempts() + " attempts") + ": " + detail
                        + "; lower the request rate or raise " + S3StoreConfig.MAX_ATTEMPTS + " in [" + S3StoreConfig.SECTION + "]", e);
            }
            return new IOException("Failed to " + action + " " + location + connection + ": " + detail, e);
        }
        if (e instanceof SdkClientException) {
            return new IOException("Failed to " + action + " " + location + connection + ": " + rootMessage(e), e);
        }
        return new IOException("Failed to " + action + " " + location + connection + ": " + e.getMessage(), e);
    }

    static String errorCode(S3Exception e)
    {
        AwsErrorDetails details = e.awsErrorDetails();
        if (details != null && details.errorCode() != null) {
            return details.errorCode();
        }
        return "HTTP " + e.statusCode();
    }

    private static String serverMessage(S3Exception e)
    {
        AwsErrorDetails details = e.awsErrorDetails();
        if (details != null && details.errorMessage() != null && !details.errorMessage().isBlank()) {
            return ": " + details.errorMessage();
        }
        return "";
    }

    /** The SDK client message plus its innermost cause, e.g. "Unable to execute HTTP request: Connection refused". */
    private static String rootMessage(Throwable e)
    {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        if (root != e && root.getMessage() != null && (message == null || !message.contains(root.getMessage()))) {
            message = (message == null ? "" : message + ": ") + root.getMessage();
        }
        return message;
    }
}
