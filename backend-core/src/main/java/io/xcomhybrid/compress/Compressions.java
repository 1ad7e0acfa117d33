package io.xcomhybrid.compress;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Locale.ROOT;

/**
 * The registry of supported compressions, by fsspec name ({@link #forName}, for writers) and by object-name suffix
 * ({@link #forPath}, for readers). Iteration order is fsspec's registration order.
 *
 * <p>The registered codecs use default levels chosen for speed (gzip and zip 6, zstd 3, xz 6, bzip2 9; see each
 * class). Other levels, and gzip, lz4 and snappy compressed on several threads ({@link ParallelGzipCompression},
 * {@link ParallelLz4Compression}, {@link ParallelSnappyCompression}), are constructed
 * directly; they write objects that the registered codec for the same suffix reads.
 *
 * <p>Interoperability with Airflow: {@code snappy} never works in Airflow (fsspec registers it without a suffix), and
 * {@code lzma} needs a recent fsspec; see {@link SnappyCompression} and {@link XzCompression}.
 */
public final class Compressions
{
    public static final Compression NONE = new Compression()
    {
        @Override
        public String name()
        {
            return "none";
        }

        @Override
        public String suffix()
        {
            return "";
        }

        @Override
        public OutputStream compress(OutputStream out)
        {
            return out;
        }

        @Override
        public InputStream decompress(InputStream in)
        {
            return in;
        }

        @Override
        public String toString()
        {
            return "none";
        }
    };

    private static final Map<String, Compression> BY_NAME = new LinkedHashMap<>();

    static {
        register(new ZipCompression());
        register(new Bzip2Compression());
        register(new GzipCompression());
        register(XzCompression.lzma());
        register(XzCompression.xz());
        register(new SnappyCompression());
        register(new Lz4Compression());
        register(new ZstdCompression());
    }

    private Compressions() {}

    private static void register(Compression compression)
    {
        BY_NAME.put(compression.name(), compression);
    }

    /**
     * The compression for an fsspec name, as {@code [common.io] xcom_objectstorage_compression} holds it;
     * {@code null}, blank or {@code none} mean no compression. Names are case-sensitive, as in Airflow, which
     * rejects {@code GZIP}.
     *
     * @throws IllegalArgumentException naming the supported names if {@code name} is unknown
     */
    public static Compression forName(String name)
    {
        if (name == null || name.isBlank() || name.trim().equals("none")) {
            return NONE;
        }
        String trimmed = name.trim();
        Compression compression = BY_NAME.get(trimmed);
        if (compression != null) {
            return compression;
        }
        String hint = BY_NAME.values().stream()
                .filter(candidate -> candidate.name().equalsIgnoreCase(trimmed) || candidate.suffix().equalsIgnoreCase("." + trimmed) || candidate.suffix().equalsIgnoreCase(trimmed))
                .findFirst()
                .map(candidate -> " Did you mean '" + candidate.name() + "'?")
                .orElse("");
        throw new IllegalArgumentException(("Compression '%s' is not supported.%s Supported: none, %s. Names are fsspec compression names, "
                + "not file suffixes: for example 'gzip', not 'gz'").formatted(name, hint, String.join(", ", BY_NAME.keySet())));
    }

    /**
     * The compression a reader infers from an object name, as fsspec's {@code infer_compression} does: the suffix
     * after the last dot of the last path segment (ignoring leading dots, as Python's {@code os.path.splitext}),
     * case-insensitive. {@link #NONE} when there is no suffix or it is unknown.
     */
    public static Compression forPath(String path)
    {
        return suffixOf(path)
                .flatMap(suffix -> BY_NAME.values().stream()
                        .filter(compression -> compression.suffix().equals(suffix))
                        .findFirst())
                .orElse(NONE);
    }

    private static Optional<String> suffixOf(String path)
    {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        // os.path.splitext: a name made of leading dots and a tail (".gz", "..gz") has no extension
        int firstNonDot = 0;
        while (firstNonDot < name.length() && name.charAt(firstNonDot) == '.') {
            firstNonDot++;
        }
        if (dot < 0 || firstNonDot >= dot) {
            return Optional.empty();
        }
        return Optional.of(name.substring(dot).toLowerCase(ROOT));
    }

    /** Every supported compression except {@link #NONE}, in fsspec's registration order. */
    public static List<Compression> all()
    {
        return List.copyOf(BY_NAME.values());
    }
}
