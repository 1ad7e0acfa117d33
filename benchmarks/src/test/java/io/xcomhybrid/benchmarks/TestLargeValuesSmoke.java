package io.xcomhybrid.benchmarks;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.s3.S3Ceiling;
import io.xcomhybrid.store.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The LargeValues harness on tiny sizes: the generated JSON stream is the benchmark value's exact text, the objects
 * it pushes exist where it says, what it pulls has the pushed bytes and SHA-256, and the memory probe reports a heap.
 * No time is asserted. The MinIO cases need {@code XCOM_TEST_S3_*} (bin/servers/minio.sh) and are skipped without.
 */
class TestLargeValuesSmoke
{
    private static final double TINY_MIB = 0.1;

    @TempDir
    Path temp;

    @Test
    void generatedStreamIsTheValuesJsonText()
            throws Exception
    {
        for (long size : new long[] {1, 150, 1000, 100_000, 1 << 20}) {
            byte[] expected = XComJson.standard().toBytes(Values.ofJsonSize(size));
            byte[] streamed;
            try (RowsJson stream = new RowsJson(size)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] odd = new byte[7];
                // odd buffer sizes cross row boundaries
                for (int n = stream.read(odd); n >= 0; n = stream.read(odd)) {
                    out.write(odd, 0, n);
                }
                streamed = out.toByteArray();
                assertThat(stream.count()).isEqualTo(streamed.length);
                assertThat(stream.read()).isEqualTo(-1);
            }
            assertThat(streamed).as("%d bytes", size).isEqualTo(expected);
        }
    }

    @Test
    void localRoundPrintsFiguresAndChecksEveryObject()
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LargeValues.Report report;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            report = LargeValues.run(new String[] {"--stores", "local", "--mib", Double.toString(TINY_MIB), "--codecs", "gzip,lz4", "--runs", "1",
                    "--warmup", "2", "--airflow", "off", "--memory-mib", Double.toString(TINY_MIB), "--memory-codecs", "gzip"}, out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        // (2 warm-ups + 1 run) x (push value + push JSON stream) x 2 codecs, each object checked on disk after its push
        assertThat(report.objectsChecked()).isEqualTo(12);
        for (String codec : new String[] {"gzip", "lz4"}) {
            for (String operation : new String[] {"push value", "push JSON stream", "pullJson to sink", "pull value"}) {
                assertThat(printed).containsPattern("\\| local \\| 0.1 MiB \\| " + codec + " \\| " + operation + " \\| [0-9.]+ / [0-9.]+ / [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\(file (write|read)\\) \\|");
            }
        }
        long jsonBytes = XComJson.standard().toBytes(Values.ofJsonSize((long) (TINY_MIB * 1024 * 1024))).length;
        assertThat(report.probes()).hasSize(2);
        LargeValues.ProbeResult push = report.probes().get(0);
        LargeValues.ProbeResult pull = report.probes().get(1);
        assertThat(push.operation()).isEqualTo("push");
        assertThat(push.location()).startsWith("file://").endsWith(".gz");
        assertThat(push.bytes()).isEqualTo(jsonBytes);
        assertThat(pull.bytes()).isEqualTo(jsonBytes);
        assertThat(pull.sha256()).isEqualTo(push.sha256()).isEqualTo(LargeValues.sha256(XComJson.standard().toBytes(Values.ofJsonSize((long) (TINY_MIB * 1024 * 1024)))));
        assertThat(push.heapMax()).isLessThanOrEqualTo(256L << 20);
        assertThat(push.heapPeak()).isPositive();
        assertThat(pull.heapPeak()).isPositive();
        assertThat(push.vmHwm()).isPositive();
        assertThat(printed).contains("bound = threshold + 64 MiB = 64.06 MiB");
    }

    @Test
    void minioProbePushesAnObjectThatThePullReadsBackAndDeletes()
            throws Exception
    {
        assumeTrue(LargeValues.s3ConnectionJson().isPresent(), "XCOM_TEST_S3_ENDPOINT not set (bin/servers/minio.sh)");
        Map<String, String> environment = LargeValues.environment();
        Location base = Location.parse("s3://" + LargeValues.CONN_ID + "@" + LargeValues.BUCKET + "/smoke-" + UUID.randomUUID());
        Path config = LargeValues.writeConfig(temp.resolve("airflow.cfg"), base, temp.resolve("xcom.db"), 65536, "lz4");
        try (S3Ceiling s3 = new S3Ceiling(AirflowConfig.load(Optional.of(config), environment), base)) {
            s3.createBucketIfMissing(base.bucket());
            String runId = "smoke_" + UUID.randomUUID();
            LargeValues.ProbeResult push = LargeValues.probe(config, "push", TINY_MIB, runId, "256m", environment);
            Location object = Location.parse(push.location());
            assertThat(object.toString()).startsWith(base + "/bench_dag/" + runId + "/memory/").endsWith(".lz4");
            assertThat(s3.exists(object)).as("object in MinIO after the push").isTrue();
            assertThat(s3.getObject(object)).as("compressed size").isPositive().isLessThan(push.bytes());

            LargeValues.ProbeResult pull = LargeValues.probe(config, "pull", TINY_MIB, runId, "256m", environment);
            assertThat(pull.bytes()).isEqualTo(push.bytes()).isEqualTo(XComJson.standard().toBytes(Values.ofJsonSize((long) (TINY_MIB * 1024 * 1024))).length);
            assertThat(pull.sha256()).isEqualTo(push.sha256());
            assertThat(pull.heapPeak()).isPositive();
            assertThat(s3.exists(object)).as("object purged by the pull's delete").isFalse();
        }
    }

    @Test
    void minioRoundComparesWithTheSdkAndAirflow()
            throws Exception
    {
        assumeTrue(LargeValues.s3ConnectionJson().isPresent(), "XCOM_TEST_S3_ENDPOINT not set (bin/servers/minio.sh)");
        String python = System.getenv("XCOM_TEST_AIRFLOW2_PYTHON");
        boolean airflow = python != null && Files.isExecutable(Path.of(python));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LargeValues.Report report;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            report = LargeValues.run(new String[] {"--stores", "s3", "--mib", Double.toString(TINY_MIB), "--codecs", "zstd", "--runs", "1",
                    "--warmup", "1", "--airflow", airflow ? "on" : "off", "--parts", "throughput"}, out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report.objectsChecked()).isEqualTo(4);
        assertThat(printed).containsPattern("\\| s3 \\| 0.1 MiB \\| zstd \\| push value \\| [0-9.]+ / [0-9.]+ / [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\(SDK PutObject\\*\\) \\|");
        assertThat(printed).containsPattern("\\| s3 \\| 0.1 MiB \\| zstd \\| pullJson to sink \\| .* \\(SDK GetObject\\*\\) \\|");
        if (airflow) {
            assertThat(printed).containsPattern("\\| s3 \\| 0.1 MiB \\| zstd \\| push \\(value\\) \\| [0-9.]+ / [0-9.]+ / [0-9.]+ \\| [0-9.]+ / [0-9.]+ / [0-9.]+ \\| [0-9.]+ \\| [0-9]+ / [0-9]+ \\|");
        }
    }
}
