package io.xcomhybrid.gcs;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Options of the {@code gs://} object store, read from the {@code [xcom_hybrid]} section (or
 * {@code AIRFLOW__XCOM_HYBRID__GCS_*} variables). Connection-specific settings (credentials, project, endpoint)
 * come from the Airflow connection instead; see {@link GcsConnection}.
 */
public record GcsStoreConfig(int chunkSize, Duration requestTimeout, int retries)
{
    public static final String SECTION = "xcom_hybrid";

    /**
     * Bytes buffered per upload request. An object no larger than this is uploaded in one request with its metadata
     * and CRC32C; a larger one goes through a resumable upload session sending one chunk of this size per request.
     * Memory per open upload is about twice this. GCS requires a multiple of 256 KiB.
     */
    public static final String CHUNK_SIZE = "gcs_chunk_size";
    public static final int DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

    /** Connect and read timeout of each HTTP request (not of a whole transfer), e.g. {@code 60s}. */
    public static final String REQUEST_TIMEOUT = "gcs_request_timeout";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Retries of a failed idempotent request, done by the client library with exponential backoff (uploads are
     * idempotent because they carry an {@code ifGenerationMatch=0} precondition). Airflow's Google connection
     * defaults {@code num_retries} to 5 as well.
     */
    public static final String RETRIES = "gcs_retries";
    public static final int DEFAULT_RETRIES = 5;

    static final int CHUNK_GRANULARITY = 256 * 1024;

    public GcsStoreConfig
    {
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (chunkSize <= 0 || chunkSize % CHUNK_GRANULARITY != 0) {
            throw new IllegalArgumentException("chunkSize must be a positive multiple of 256 KiB: " + chunkSize);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries is negative: " + retries);
        }
    }

    public static GcsStoreConfig defaults()
    {
        return new GcsStoreConfig(DEFAULT_CHUNK_SIZE, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRIES);
    }

    /** @throws ConfigException naming the setting and its source for an invalid value */
    public static GcsStoreConfig from(AirflowConfig config)
    {
        int chunkSize = config.getInt(SECTION, CHUNK_SIZE, DEFAULT_CHUNK_SIZE);
        if (chunkSize <= 0 || chunkSize % CHUNK_GRANULARITY != 0) {
            throw new ConfigException("Invalid " + describe(config, CHUNK_SIZE) + ": " + chunkSize
                    + " is not a positive multiple of 262144 bytes (256 KiB), as GCS resumable uploads require");
        }
        Duration requestTimeout = config.getDuration(SECTION, REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
        if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigException("Invalid " + describe(config, REQUEST_TIMEOUT) + ": must be positive and below 24 days");
        }
        int retries = config.getInt(SECTION, RETRIES, DEFAULT_RETRIES);
        if (retries < 0) {
            throw new ConfigException("Invalid " + describe(config, RETRIES) + ": " + retries + " is negative");
        }
        return new GcsStoreConfig(chunkSize, requestTimeout, retries);
    }

    private static String describe(AirflowConfig config, String key)
    {
        return config.lookup(SECTION, key).map(value -> value.describe()).orElse("[" + SECTION + "] " + key);
    }
}
