package io.xcomhybrid.compress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static io.xcomhybrid.compress.CompressionTesting.decompress;
import static io.xcomhybrid.compress.CompressionTesting.resource;
import static org.assertj.core.api.Assertions.assertThat;

/** The committed vectors of {@code compress/generate_vectors.py}, listed in {@code compress/vectors.tsv}. */
final class Vectors
{
    private Vectors() {}

    record Vector(String file, int length, String sha256) {}

    static List<Vector> withSuffix(String suffix)
    {
        return new String(resource("vectors.tsv"), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("\t"))
                .filter(fields -> fields[0].endsWith(suffix))
                .map(fields -> new Vector(fields[0], Integer.parseInt(fields[2]), fields[3]))
                .toList();
    }

    static void assertAllRead(Compression compression, String suffix)
            throws IOException
    {
        List<Vector> vectors = withSuffix(suffix);
        assertThat(vectors).as("vectors for " + suffix).isNotEmpty();
        for (Vector vector : vectors) {
            byte[] data = decompress(compression, resource(vector.file()));
            assertThat(data.length).as(vector.file()).isEqualTo(vector.length());
            assertThat(sha256(data)).as(vector.file()).isEqualTo(vector.sha256());
        }
    }

    static String sha256(byte[] data)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        }
        catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
