package io.xcomhybrid.benchmarks;

import io.xcomhybrid.json.XComJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The growth harness on tiny sizes: what it pushes is Values' JSON text, what it reports is what it moved, the plot is a PNG. */
class TestGrowthSmoke
{
    @TempDir
    Path temp;

    @Test
    void localRoundReportsBothPlacementsAndWritesThePlot()
            throws Exception
    {
        Path png = temp.resolve("plot/growth.png");
        List<Growth.Row> rows = run("--stores", "local", "--runs", "1", "--min-kib", "256", "--max-mib", "4", "--png", png.toString());

        assertThat(rows).extracting(Growth.Row::nominalBytes).containsExactly(256L << 10, 1L << 20, 4L << 20);
        // the 1 MiB value's text is a little under 1 MiB, so it stays in the row like the 256 KiB one
        assertThat(rows).extracting(Growth.Row::placement).containsExactly("database", "database", "object");
        for (Growth.Row row : rows) {
            assertThat(row.jsonBytes()).isEqualTo(XComJson.standard().toBytes(Values.ofJsonSize(row.nominalBytes())).length);
            assertThat(row.pushMs()).hasSize(1);
            assertThat(row.pushMs()[0]).isPositive();
            assertThat(row.pullMs()).hasSize(1);
            assertThat(row.pullMs()[0]).isPositive();
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(Plot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Plot.HEIGHT);
    }

    @Test
    void minioRoundPutsTheLargeValueInAnObject()
            throws Exception
    {
        assumeTrue(System.getenv("XCOM_TEST_S3_ENDPOINT") != null, "XCOM_TEST_S3_ENDPOINT is not set (bin/servers/minio.sh)");
        List<Growth.Row> rows = run("--stores", "minio", "--runs", "1", "--min-kib", "1024", "--max-mib", "4", "--png", temp.resolve("minio.png").toString());

        assertThat(rows).extracting(Growth.Row::store).containsOnly("MinIO");
        assertThat(rows).extracting(Growth.Row::placement).containsExactly("database", "object");
        assertThat(ImageIO.read(temp.resolve("minio.png").toFile())).isNotNull();
    }

    private static List<Growth.Row> run(String... args)
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Growth.Row> rows;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            rows = Growth.run(args, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("| size | JSON bytes | store | placement |");
        for (Growth.Row row : rows) {
            assertThat(report).contains("| " + Growth.human(row.nominalBytes()) + " | " + row.jsonBytes() + " | " + row.store() + " | " + row.placement() + " |");
        }
        return rows;
    }
}
