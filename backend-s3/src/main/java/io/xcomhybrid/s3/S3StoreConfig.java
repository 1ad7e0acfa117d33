package io.xcomhybrid.s3;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.ConfigValue;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Options of the S3 object store, read from section {@value #SECTION} of the Airflow configuration (or
 * {@code AIRFLOW__XCOM_HYBRID__S3_*} variables). They apply to every {@code s3://} connection; what differs per
 * connection (endpoint, region, credentials) comes from the Airflow connection instead, see {@link S3ConnectionSettings}.
 */
public record S3StoreConfig(
        long partSize,
        int uploadParallelism,
        int downloadParallelism,
        Optional<ServerSideEncryption> serverSideEncryption,
        Optional<String> sseKmsKeyId,
        Optional<StorageClass> storageClass,
        Optional<String> objectTags,
        ChecksumAlgorithm checksumAlgorithm,
        Duration requestTimeout,
        RetryMode retryMode,
        int maxAttempts,
        boolean conditionalWrites)
{
    public static final String SECTION = "xcom_hybrid";

    /**
     * Bytes buffered per part, default {@value #DEFAULT_PART_SIZE} (8 MiB, the AWS SDKs' and CLI's default). A value
     * up to one part is stored with a single PutObject; a larger one with a multipart upload. S3 and MinIO reject
     * parts below 5 MiB (except the last), and S3 allows at most 10,000 parts, so 8 MiB parts cap an object at
     * about 78 GiB. Accepts a byte count or a {@code KiB}/{@code MiB}/{@code GiB} suffix.
     */
    public static final String PART_SIZE = "s3_part_size";
    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    public static final long MAX_PART_SIZE = 2L * 1024 * 1024 * 1024 - 1;

    /**
     * Parts of one upload sent concurrently while the next part fills, default {@value #DEFAULT_UPLOAD_PARALLELISM}.
     * Memory per open upload is at most {@code (parallelism + 1) * part size} (40 MiB by default).
     */
    public static final String UPLOAD_PARALLELISM = "s3_upload_parallelism";
    public static final int DEFAULT_UPLOAD_PARALLELISM = 4;

    /**
     * Ranged GETs in flight while reading one object larger than two parts, default
     * {@value #DEFAULT_DOWNLOAD_PARALLELISM}; one S3 connection rarely carries more than ~100 MB/s, so a large value
     * reads several ranges of {@value #PART_SIZE} bytes at once. {@code 1} reads every object with a single streaming
     * GET. Memory per open read is at most {@code (parallelism + 1) * part size}: 32 MiB by default, which keeps a pull
     * with the codec's buffers within the threshold + 64 MiB heap budget (4 in flight measured 65 MiB live for lz4).
     */
    public static final String DOWNLOAD_PARALLELISM = "s3_download_parallelism";
    public static final int DEFAULT_DOWNLOAD_PARALLELISM = 3;

    /** Server-side encryption: empty (the bucket's default), {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}. */
    public static final String SSE = "s3_sse";

    /** KMS key id or ARN for {@code aws:kms}; empty means the account's AWS-managed key. */
    public static final String SSE_KMS_KEY_ID = "s3_sse_kms_key_id";

    /** Storage class for new objects, e.g. {@code STANDARD_IA}; empty means the bucket's default (STANDARD). */
    public static final String STORAGE_CLASS = "s3_storage_class";

    /**
     * Tags for new objects in S3's header form, {@code key1=value1&key2=value2} (URL-encoded), e.g. to drive a
     * lifecycle rule that expires XCom objects. Empty means no tags.
     */
    public static final String OBJECT_TAGS = "s3_object_tags";

    /**
     * Checksum the SDK computes over the stored bytes of every upload (each part of a multipart upload) and the
     * server verifies, default {@code CRC32} (the SDK's own default, accepted by every S3 implementation tested:
     * AWS, MinIO, S3Proxy). One of {@code CRC32}, {@code CRC32C}, {@code SHA1}, {@code SHA256}, {@code CRC64NVME}.
     */
    public static final String CHECKSUM_ALGORITHM = "s3_checksum_algorithm";
    public static final ChecksumAlgorithm DEFAULT_CHECKSUM_ALGORITHM = ChecksumAlgorithm.CRC32;
    private static final Set<ChecksumAlgorithm> CHECKSUM_ALGORITHMS = Set.of(
            ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256, ChecksumAlgorithm.CRC64_NVME);

    /**
     * Time limit of one attempt of one request (one part upload, one GET until its headers arrive), default
     * {@code 120s}: long enough for a part on a slow link, short enough that a hung connection is retried. {@code 0}
     * disables the limit.
     */
    public static final String REQUEST_TIMEOUT = "s3_request_timeout";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);

    /** SDK retry mode: {@code standard} (default), {@code adaptive} (client-side rate limiting) or {@code legacy}. */
    public static final String RETRY_MODE = "s3_retry_mode";

    /**
     * Attempts per request including the first, default {@value #DEFAULT_MAX_ATTEMPTS}: S3 answers load with
     * 503 SlowDown, and five attempts with the SDK's exponential backoff ride out short bursts. No retry loop is
     * wrapped around the SDK's.
     */
    public static final String MAX_ATTEMPTS = "s3_max_attempts";
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    /**
     * Whether new objects are created with {@code If-None-Match: *} (default {@code true}), so the server itself
     * refuses to overwrite an existing object without an extra HEAD per write. AWS S3 (since 2024) and MinIO honour
     * it. Set {@code false} only for a server that rejects the header: objects are then written unconditionally, and
     * uniqueness rests on the random UUID in every XCom object name, as in Airflow.
     */
    public static final String CONDITIONAL_WRITES = "s3_conditional_writes";

    public S3StoreConfig
    {
        requireNonNull(serverSideEncryption, "serverSideEncryption is null");
        requireNonNull(sseKmsKeyId, "sseKmsKeyId is null");
        requireNonNull(storageClass, "storageClass is null");
        requireNonNull(objectTags, "objectTags is null");
        requireNonNull(checksumAlgorithm, "checksumAlgorithm is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(retryMode, "retryMode is null");
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("part size must be between 5 MiB and 2 GiB: " + partSize);
        }
        if (uploadParallelism < 1) {
            throw new IllegalArgumentException("upload parallelism must be at least 1: " + uploadParallelism);
        }
        if (downloadParallelism < 1) {
            throw new IllegalArgumentException("download parallelism must be at least 1: " + downloadParallelism);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1: " + maxAttempts);
        }
    }

    public static S3StoreConfig defaults()
    {
        return new S3StoreConfig(DEFAULT_PART_SIZE, DEFAULT_UPLOAD_PARALLELISM, DEFAULT_DOWNLOAD_PARALLELISM, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_CHECKSUM_ALGORITHM, DEFAULT_REQUEST_TIMEOUT, RetryMode.STANDARD, DEFAULT_MAX_ATTEMPTS, true);
    }

    /**
     * Reads the options; absent keys take their defaults.
     *
     * @throws ConfigException naming the key and where it was set, for an invalid value
     */
    public static S3StoreConfig from(AirflowConfig config)
    {
        long partSize = config.lookup(SECTION, PART_SIZE)
                .filter(value -> !value.value().isBlank())
                .map(S3StoreConfig::parseSize)
                .orElse(DEFAULT_PART_SIZE);
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw invalid(config, PART_SIZE, "must be between 5 MiB (the S3 minimum part size) and 2 GiB");
        }
        int parallelism = config.getInt(SECTION, UPLOAD_PARALLELISM, DEFAULT_UPLOAD_PARALLELISM);
        if (parallelism < 1 || parallelism > 64) {
            throw invalid(config, UPLOAD_PARALLELISM, "must be between 1 and 64");
        }
        int downloadParallelism = config.getInt(SECTION, DOWNLOAD_PARALLELISM, DEFAULT_DOWNLOAD_PARALLELISM);
        if (downloadParallelism < 1 || downloadParallelism > 64) {
            throw invalid(config, DOWNLOAD_PARALLELISM, "must be between 1 and 64");
        }

        Optional<ServerSideEncryption> sse = nonBlank(config, SSE).map(text -> {
            ServerSideEncryption value = ServerSideEncryption.fromValue(text);
            if (value == null || value == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
                throw invalid(config, SSE, "must be one of " + ServerSideEncryption.knownValues());
            }
            return value;
        });
        Optional<String> kmsKeyId = nonBlank(config, SSE_KMS_KEY_ID);
        if (kmsKeyId.isPresent() && sse.filter(value -> value.toString().startsWith("aws:kms")).isEmpty()) {
            throw invalid(config, SSE_KMS_KEY_ID, "is only valid with " + SSE + " = aws:kms or aws:kms:dsse");
        }
        Optional<StorageClass> storageClass = nonBlank(config, STORAGE_CLASS).map(text -> {
            StorageClass value = StorageClass.fromValue(text.toUpperCase(Locale.ROOT));
            if (value == null || value == StorageClass.UNKNOWN_TO_SDK_VERSION) {
                throw invalid(config, STORAGE_CLASS, "must be one of " + StorageClass.knownValues());
            }
            return value;
        });
        Optional<String> tags = nonBlank(config, OBJECT_TAGS);
        tags.ifPresent(text -> {
            for (String pair : text.split("&")) {
                if (pair.indexOf('=') <= 0) {
                    throw invalid(config, OBJECT_TAGS, "must be key=value pairs joined by '&'");
                }
            }
        });
        ChecksumAlgorithm checksum = nonBlank(config, CHECKSUM_ALGORITHM)
                .map(text -> {
                    String normalized = text.toUpperCase(Locale.ROOT).replace("_", "");
                    return CHECKSUM_ALGORITHMS.stream()
                            .filter(algorithm -> algorithm.toString().equals(normalized))
                            .findFirst()
                            .orElseThrow(() -> invalid(config, CHECKSUM_ALGORITHM, "must be one of CRC32, CRC32C, SHA1, SHA256, CRC64NVME"));
                })
                .orElse(DEFAULT_CHECKSUM_ALGORITHM);
        Duration requestTimeout = config.getDuration(SECTION, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
        if (requestTimeout.isNegative()) {
            throw invalid(config, REQUEST_TIMEOUT, "must not be negative");
        }
        RetryMode retryMode = nonBlank(config, RETRY_MODE)
                .map(text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "standard" -> RetryMode.STANDARD;
                    case "adaptive" -> RetryMode.ADAPTIVE_V2;
                    case "legacy" -> RetryMode.LEGACY;
                    default -> throw invalid(config, RETRY_MODE, "must be standard, adaptive or legacy");
                })
                .orElse(RetryMode.STANDARD);
        int maxAttempts = config.getInt(SECTION, MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS);
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw invalid(config, MAX_ATTEMPTS, "must be between 1 and 100");
        }
        boolean conditionalWrites = config.getBoolean(SECTION, CONDITIONAL_WRITES, true);
        return new S3StoreConfig(partSize, parallelism, downloadParallelism, sse, kmsKeyId, storageClass, tags, checksum, requestTimeout, retryMode, maxAttempts,
                conditionalWrites);
    }

    public S3StoreConfig withPartSize(long partSize)
    {
        return new S3StoreConfig(partSize, uploadParallelism, downloadParallelism, serverSideEncryption, sseKmsKeyId, storageClass, objectTags, checksumAlgorithm,
                requestTimeout, retryMode, maxAttempts, conditionalWrites);
    }

    public S3StoreConfig withUploadParallelism(int uploadParallelism)
    {
        return new S3StoreConfig(partSize, uploadParallelism, downloadParallelism, serverSideEncryption, sseKmsKeyId, storageClass, objectTags, checksumAlgorithm,
                requestTimeout, retryMode, maxAttempts, conditionalWrites);
    }

    public S3StoreConfig withDownloadParallelism(int downloadParallelism)
    {
        return new S3StoreConfig(partSize, uploadParallelism, downloadParallelism, serverSideEncryption, sseKmsKeyId, storageClass, objectTags,
                checksumAlgorithm, requestTimeout, retryMode, maxAttempts, conditionalWrites);
    }

    public S3StoreConfig withMaxAttempts(int maxAttempts)
    {
        return new S3StoreConfig(partSize, uploadParallelism, downloadParallelism, serverSideEncryption, sseKmsKeyId, storageClass, objectTags, checksumAlgorithm,
                requestTimeout, retryMode, maxAttempts, conditionalWrites);
    }

    public S3StoreConfig withConditionalWrites(boolean conditionalWrites)
    {
        return new S3StoreConfig(partSize, uploadParallelism, downloadParallelism, serverSideEncryption, sseKmsKeyId, storageClass, objectTags, checksumAlgorithm,
                requestTimeout, retryMode, maxAttempts, conditionalWrites);
    }

    private static Optional<String> nonBlank(AirflowConfig config, String key)
    {
        return config.get(SECTION, key).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static ConfigException invalid(AirflowConfig config, String key, String problem)
    {
        ConfigValue value = config.lookup(SECTION, key).orElseThrow();
        return new ConfigException("Invalid value for " + value.describe() + ": '" + value.displayValue() + "' " + problem);
    }

    /** {@code 8388608}, {@code 8MiB}, {@code 8MB}, {@code 8M}, {@code 512KiB}, {@code 1GiB} (binary units throughout). */
    static long parseSize(ConfigValue value)
    {
        String text = value.value().trim().toUpperCase(Locale.ROOT).replace(" ", "");
        int unitStart = 0;
        while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
            unitStart++;
        }
        long multiplier = switch (text.substring(unitStart)) {
            case "", "B" -> 1;
            case "K", "KB", "KIB" -> 1024;
            case "M", "MB", "MIB" -> 1024 * 1024;
            case "G", "GB", "GIB" -> 1024 * 1024 * 1024;
            default -> -1;
        };
        if (unitStart == 0 || multiplier < 0) {
            throw new ConfigException("Invalid size for " + value.describe() + ": '" + value.displayValue() + "' (expected e.g. 8MiB or 8388608)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(text.substring(0, unitStart)), multiplier);
        }
        catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException("Size out of range for " + value.describe() + ": '" + value.displayValue() + "'");
        }
    }
}
