package io.xcomhybrid.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The registry of supported compressions, by fsspec name and by suffix. */
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
        register(new Compression()
        {
            @Override
            public String name()
            {
                return "gzip";
            }

            @Override
            public String suffix()
            {
                return ".gz";
            }

            @Override
            public OutputStream compress(OutputStream out)
                    throws IOException
            {
                return new GZIPOutputStream(out, 64 * 1024);
            }

            @Override
            public InputStream decompress(InputStream in)
                    throws IOException
            {
                return new GZIPInputStream(in, 64 * 1024);
            }
        });
    }

    private Compressions() {}

    private static void register(Compression compression)
    {
        BY_NAME.put(compression.name(), compression);
    }

    /**
     * The compression for an fsspec name; {@code null}, empty or {@code none} mean no compression.
     *
     * @throws IllegalArgumentException naming the supported names if {@code name} is unknown
     */
    public static Compression forName(String name)
    {
        if (name == null || name.isBlank() || name.trim().equalsIgnoreCase("none")) {
            return NONE;
        }
        Compression compression = BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (compression == null) {
            throw new IllegalArgumentException("Compression '" + name + "' is not supported; use one of " + BY_NAME.keySet()
                    + " (fsspec names: for example 'gzip', not 'gz')");
        }
        return compression;
    }

    /** The compression a reader infers from an object name's suffix; {@link #NONE} when the suffix is unknown. */
    public static Compression forPath(String path)
    {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return NONE;
        }
        String suffix = name.substring(dot).toLowerCase(Locale.ROOT);
        for (Compression compression : BY_NAME.values()) {
            if (compression.suffix().equals(suffix)) {
                return compression;
            }
        }
        return NONE;
    }

    public static List<Compression> all()
    {
        return List.copyOf(BY_NAME.values());
    }
}
