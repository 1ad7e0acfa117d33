package io.xcomhybrid.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The many-XComs harness on a few hundred XComs: counts match, gc finds exactly the orphans made, clear leaves nothing. */
class TestManyXComsSmoke
{
    @Test
    void localFilesOnSqlite()
            throws Exception
    {
        List<ManyXComs.Result> results = run("--store", "local", "--databases", "sqlite", "--count", "300", "--orphans", "25", "--threads", "4");
        assertThat(results).extracting(ManyXComs.Result::database).containsExactly("sqlite");
        assertCounts(results.get(0), 300, 25);
    }

    @Test
    void minioOnSqliteAndPostgresql()
            throws Exception
    {
        assumeTrue(System.getenv("XCOM_TEST_S3_ENDPOINT") != null, "XCOM_TEST_S3_ENDPOINT is not set (bin/servers/minio.sh)");
        boolean postgres = System.getenv("XCOM_TEST_PG_JDBC_URL") != null;
        List<ManyXComs.Result> results = run("--store", "minio", "--databases", "sqlite,postgresql", "--count", "300", "--orphans", "25", "--threads", "8");
        assertThat(results).extracting(ManyXComs.Result::database).containsExactlyElementsOf(postgres ? List.of("sqlite", "postgresql") : List.of("sqlite"));
        for (ManyXComs.Result result : results) {
            assertCounts(result, 300, 25);
        }
    }

    @Test
    void fakeGcsServerOnSqliteAndPostgresql()
            throws Exception
    {
        assumeTrue(System.getenv("XCOM_TEST_GCS_ENDPOINT") != null, "XCOM_TEST_GCS_ENDPOINT is not set (bin/servers/fake-gcs.sh)");
        boolean postgres = System.getenv("XCOM_TEST_PG_JDBC_URL") != null;
        // 425 objects cleared: five batch deletes, sent several at a time
        List<ManyXComs.Result> results = run("--store", "gcs", "--databases", "sqlite,postgresql", "--count", "450", "--orphans", "25", "--threads", "8");
        assertThat(results).extracting(ManyXComs.Result::database).containsExactlyElementsOf(postgres ? List.of("sqlite", "postgresql") : List.of("sqlite"));
        for (ManyXComs.Result result : results) {
            assertCounts(result, 450, 25);
        }
    }

    private static void assertCounts(ManyXComs.Result result, int count, int orphans)
    {
        assertThat(result.objectsAfterPush()).isEqualTo(count);
        assertThat(result.listed()).isEqualTo(count);
        assertThat(result.orphansFound()).isEqualTo(orphans);
        assertThat(result.orphansDeleted()).isEqualTo(orphans);
        assertThat(result.objectsAfterGc()).isEqualTo(count - orphans);
        assertThat(result.cleared()).isEqualTo(count - orphans);
        assertThat(result.objectsAfterClear()).isZero();
        assertThat(result.rowsAfterClear()).isZero();
        assertThat(result.seconds()).containsKeys("push", "list", "clear", "clear rows", "clear purge");
    }

    private static List<ManyXComs.Result> run(String... args)
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<ManyXComs.Result> results;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            results = ManyXComs.run(args, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        for (ManyXComs.Result result : results) {
            assertThat(report).contains("| " + result.database() + " | clear the run |");
        }
        return results;
    }
}
