package io.xcomhybrid.backend;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.ConfigValue;
import io.xcomhybrid.compress.Compression;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.json.DbForm;
import io.xcomhybrid.store.Location;

import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Settings of the object-storage backend, read with Airflow's keys and validated at start-up, so a bad value
 * fails with the setting's name and source rather than at the first push.
 *
 * <ul>
 *   <li>{@code [common.io] xcom_objectstorage_path}: base URL, e.g. {@code s3://aws_default@bucket/xcom}. Required:
 *       unlike Airflow, an empty path is an error (Airflow writes scheme-less objects it can never read back).</li>
 *   <li>{@code [common.io] xcom_objectstorage_threshold}: bytes; -1 (default) keeps every value in the database,
 *       0 sends every value to object storage, N sends values of N bytes or more (Airflow's {@code size >= N}).</li>
 *   <li>{@code [common.io] xcom_objectstorage_compression}: an fsspec name ({@code gzip}, {@code bz2}, {@code xz},
 *       {@code lzma}, {@code zip}, {@code lz4}, {@code zstd}, {@code snappy}); empty means none.</li>
 *   <li>{@code [xcom_hybrid] on_unreadable_object}: {@code fail} (default) or {@code return_reference}
 *       (Airflow's behaviour: a missing or corrupt object yields the reference string as the value).</li>
 *   <li>{@code [xcom_hybrid] db_form}: {@code airflow2} (default) or {@code airflow3}, see {@link RowForm}.</li>
 *   <li>{@code [xcom_hybrid] compression_threads}: threads that compress one large value besides the thread that
 *       encodes its JSON (default {@link #defaultCompressionThreads()}). 0 compresses on the caller's thread; 1
 *       compresses on one background thread while the caller encodes; more also compresses gzip, lz4 and snappy in
 *       blocks on that many threads ({@link io.xcomhybrid.compress.ParallelGzipCompression},
 *       {@link io.xcomhybrid.compress.ParallelLz4Compression}, {@link io.xcomhybrid.compress.ParallelSnappyCompression}).</li>
 *   <li>{@code [xcom_hybrid] encoding_threads}: threads that encode one Java value into JSON, the caller's included
 *       (default {@link #defaultEncodingThreads()}): the items of a long list (a large value's rows) are split over
 *       them, with the same bytes as one thread writes ({@link io.xcomhybrid.json.XComJson#write(Object,
 *       java.io.OutputStream, java.util.concurrent.Executor, int)}). 1 encodes on the caller's thread alone.</li>
 * </ul>
 */
public record ObjectStorageSettings(Location base, long threshold, Compression compression, UnreadableObjectPolicy onUnreadable, DbForm dbForm, int compressionThreads, int encodingThreads)
{
    public static final String SECTION = "common.io";
    public static final String PATH = "xcom_objectstorage_path";
    public static final String THRESHOLD = "xcom_objectstorage_threshold";
    public static final String COMPRESSION = "xcom_objectstorage_compression";
    public static final String HYBRID_SECTION = "xcom_hybrid";
    public static final String ON_UNREADABLE = "on_unreadable_object";
    public static final String COMPRESSION_THREADS = "compression_threads";
    public static final String ENCODING_THREADS = "encoding_threads";
    private static final int MAX_COMPRESSION_THREADS = 64;
    private static final int MAX_ENCODING_THREADS = 64;

    public enum UnreadableObjectPolicy
    {
        FAIL,
        RETURN_REFERENCE
    }

    public ObjectStorageSettings
    {
        requireNonNull(base, "base is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(onUnreadable, "onUnreadable is null");
        requireNonNull(dbForm, "dbForm is null");
        if (compressionThreads < 0 || compressionThreads > MAX_COMPRESSION_THREADS) {
            throw new IllegalArgumentException("compressionThreads must be between 0 and " + MAX_COMPRESSION_THREADS + ": " + compressionThreads);
        }
        if (encodingThreads < 1 || encodingThreads > MAX_ENCODING_THREADS) {
            throw new IllegalArgumentException("encodingThreads must be between 1 and " + MAX_ENCODING_THREADS + ": " + encodingThreads);
        }
    }

    public ObjectStorageSettings(Location base, long threshold, Compression compression, UnreadableObjectPolicy onUnreadable, DbForm dbForm, int compressionThreads)
    {
        this(base, threshold, compression, onUnreadable, dbForm, compressionThreads, defaultEncodingThreads());
    }

    public ObjectStorageSettings(Location base, long threshold, Compression compression, UnreadableObjectPolicy onUnreadable, DbForm dbForm)
    {
        this(base, threshold, compression, onUnreadable, dbForm, defaultCompressionThreads());
    }

    public ObjectStorageSettings(Location base, long threshold, Compression compression, UnreadableObjectPolicy onUnreadable)
    {
        this(base, threshold, compression, onUnreadable, DbForm.AIRFLOW2_BYTES);
    }

    /** {@code min(available processors, 4)}: beyond four threads gzip gains little and other work loses the cores. */
    public static int defaultCompressionThreads()
    {
        return Math.min(Runtime.getRuntime().availableProcessors(), 4);
    }

    /**
     * 1, the caller's thread alone. A second encoding thread makes the encoder alone 1.4-1.7x as fast but, on the
     * 2-core machine the benchmarks run on, only competes with the codec's threads in a push (benchmarks/RESULTS.md,
     * change 23); with more cores to spare, set it to about half of them.
     */
    public static int defaultEncodingThreads()
    {
        return 1;
    }

    public static ObjectStorageSettings from(AirflowConfig config)
    {
        ConfigValue path = config.lookup(SECTION, PATH)
                .filter(value -> !value.value().isBlank())
                .orElseThrow(() -> new ConfigException("[" + SECTION + "] " + PATH + " is not set; the object-storage XCom backend needs a base URL "
                        + "such as s3://aws_default@bucket/xcom or file:///var/lib/xcom (set it in the config file or AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH)"));
        Location base = parseBase(path);
        long threshold = config.getLong(SECTION, THRESHOLD, -1);
        if (threshold < -1) {
            throw new ConfigException("Invalid " + config.lookup(SECTION, THRESHOLD).orElseThrow().describe() + ": " + threshold + " (use -1, 0 or a positive byte count)");
        }
        Compression compression;
        Optional<ConfigValue> compressionValue = config.lookup(SECTION, COMPRESSION);
        try {
            compression = Compressions.forName(compressionValue.map(ConfigValue::value).orElse(""));
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid " + compressionValue.orElseThrow().describe() + ": " + e.getMessage(), e);
        }
        UnreadableObjectPolicy policy;
        Optional<ConfigValue> policyValue = config.lookup(HYBRID_SECTION, ON_UNREADABLE);
        String policyText = policyValue.map(ConfigValue::value).orElse("fail").trim().toLowerCase(Locale.ROOT);
        policy = switch (policyText) {
            case "fail", "" -> UnreadableObjectPolicy.FAIL;
            case "return_reference" -> UnreadableObjectPolicy.RETURN_REFERENCE;
            default -> throw new ConfigException("Invalid " + policyValue.orElseThrow().describe() + ": '" + policyText + "' (use fail or return_reference)");
        };
        int compressionThreads = config.getInt(HYBRID_SECTION, COMPRESSION_THREADS, defaultCompressionThreads());
        if (compressionThreads < 0 || compressionThreads > MAX_COMPRESSION_THREADS) {
            throw new ConfigException("Invalid " + config.lookup(HYBRID_SECTION, COMPRESSION_THREADS).orElseThrow().describe() + ": " + compressionThreads
                    + " (use 0 to compress on the caller's thread, or 1 to " + MAX_COMPRESSION_THREADS + ")");
        }
        int encodingThreads = config.getInt(HYBRID_SECTION, ENCODING_THREADS, defaultEncodingThreads());
        if (encodingThreads < 1 || encodingThreads > MAX_ENCODING_THREADS) {
            throw new ConfigException("Invalid " + config.lookup(HYBRID_SECTION, ENCODING_THREADS).orElseThrow().describe() + ": " + encodingThreads
                    + " (use 1 to encode on the caller's thread alone, or up to " + MAX_ENCODING_THREADS + ")");
        }
        return new ObjectStorageSettings(base, threshold, compression, policy, RowForm.from(config), compressionThreads, encodingThreads);
    }

    private static Location parseBase(ConfigValue value)
    {
        Location base;
        try {
            base = Location.parse(value.value().trim());
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid " + value.describe() + ": " + e.getMessage()
                    + " (a base URL needs a scheme, e.g. s3://conn_id@bucket/prefix or file:///abs/path)");
        }
        String path = base.path();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if ((base.scheme().equals("file") || base.scheme().equals("local")) && !path.startsWith("/")) {
            throw new ConfigException("Invalid " + value.describe() + ": a file:// base must be absolute (file:///abs/path)");
        }
        if (!base.scheme().equals("file") && !base.scheme().equals("local") && (path.isEmpty() || path.startsWith("/"))) {
            throw new ConfigException("Invalid " + value.describe() + ": expected " + base.scheme() + "://[conn_id@]bucket[/prefix]");
        }
        return Location.of(base.scheme(), base.connId(), path);
    }
}
