package io.xcomhybrid.benchmarks;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.metadata.XComFilter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One tiny round of {@link AirflowSmall} against a real Airflow 2 and PostgreSQL (skipped, as an assumption, when
 * {@code XCOM_TEST_PG_JDBC_URL} or {@code XCOM_TEST_AIRFLOW2_PYTHON} is not set): the harness prints a figure for
 * every worker count and operation, Airflow really wrote the rows it reports, and each side reads the other's rows
 * as the same value. No time is asserted.
 */
class TestAirflowSmallSmoke
{
    private static final String DAG = "bench_dag";
    private static final String RUN = "bench_run";

    @Test
    void tinyRoundMeasuresBothAndEachReadsTheOthersRows()
            throws Exception
    {
        Map<String, String> environment = System.getenv();
        for (String name : new String[] {"XCOM_TEST_PG_JDBC_URL", "XCOM_TEST_AIRFLOW2_PYTHON"}) {
            assumeTrue(environment.get(name) != null && !environment.get(name).isBlank(), name + " is not set");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AirflowSmall.Report report;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            report = AirflowSmall.run(new String[] {"--runs", "1", "--ops", "8", "--workers", "1,2", "--warmup-ops", "2", "--keep-schema"}, out, environment);
        }
        try {
            String table = bytes.toString(StandardCharsets.UTF_8);
            for (String workers : new String[] {"1", "2"}) {
                for (String operation : new String[] {"push", "pull", "push+pull"}) {
                    assertThat(table).containsPattern("\\| " + workers + " \\| " + Pattern.quote(operation)
                            + " \\| [0-9]+ / [0-9]+ / [0-9]+ \\| [0-9]+ / [0-9]+ \\| [0-9]+ \\| [0-9]+ / [0-9]+ / [0-9]+ \\| [0-9]+ / [0-9]+ \\| [0-9]+ \\| [0-9.]+x \\| ([0-9.]+x|-) \\|");
                }
            }
            // Airflow, xcom-hybrid on Airflow's table, xcom-hybrid on its own table: 2 worker counts x 3 operations each
            assertThat(report.figures()).extracting(AirflowSmall.Figure::implementation)
                    .containsOnly("airflow", AirflowSmall.AIRFLOW2_MODE, AirflowSmall.STANDALONE)
                    .filteredOn(AirflowSmall.STANDALONE::equals).hasSize(6);
            assertThat(report.figures()).hasSize(18).allSatisfy(figure -> {
                assertThat(figure.opsPerSecond()).isPositive();
                assertThat(figure.p50Micros()).isPositive().isLessThanOrEqualTo(figure.p99Micros());
                // the JVM's process CPU time ticks in 10 ms steps: 8 quick operations may see no tick at all
                assertThat(figure.cpuMicrosPerOp()).isNotNegative();
            });
            assertThat(report.figures().stream().filter(figure -> figure.implementation().equals("airflow")).mapToDouble(AirflowSmall.Figure::cpuMicrosPerOp).sum())
                    .as("CPU time of Airflow's worker processes").isPositive();

            String password = environment.getOrDefault("XCOM_TEST_PG_PASSWORD", "");
            if (!password.isEmpty()) {
                assertThat(report.toString()).doesNotContain(password);
                assertThat(table).doesNotContain(password);
            }

            // 8 push and 8 push+pull keys per worker count (1 worker: 8 each; 2 workers: 4 each per worker)
            assertThat(report.crossCheck()).isEqualTo(new AirflowSmall.CrossCheck(32, 32, 32, 32, true));

            byte[] expected = XComJson.standard().toBytes(Values.ofJsonSize(1024));
            try (XComs xcoms = XComs.open(AirflowConfig.of(Map.of(), report.xcomHybridEnvironment()))) {
                // the rows of the measured run (not the warm-up) that Airflow's XCom.set wrote, counted and read here, not through the harness
                long airflowRows = xcoms.list(XComFilter.run(DAG, RUN)).stream().filter(entry -> entry.key().key().startsWith("af0_r0_")).count();
                assertThat(airflowRows).isEqualTo(32);
                assertThat(XComJson.standard().toBytes(xcoms.pull(new XComKey(DAG, RUN, "task_1", -1, "af0_r0_w2_pp_3")))).isEqualTo(expected);
                long javaRows = xcoms.list(XComFilter.run(DAG, RUN)).stream().filter(entry -> entry.key().key().startsWith("hy0_r0_")).count();
                // the standalone side wrote to its own table, not to Airflow's
                assertThat(xcoms.list(XComFilter.run(DAG, RUN))).noneMatch(entry -> entry.key().key().startsWith("st"));
                assertThat(javaRows).isEqualTo(32);
            }
            try (Connection connection = DriverManager.getConnection(environment.get("XCOM_TEST_PG_JDBC_URL"),
                    environment.getOrDefault("XCOM_TEST_PG_USER", "postgres"), environment.getOrDefault("XCOM_TEST_PG_PASSWORD", ""));
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + report.schema() + ".xcom_hybrid_standalone WHERE \"key\" LIKE 'st0\\_r0\\_%'")) {
                rows.next();
                assertThat(rows.getLong(1)).as("rows the standalone side wrote to its own table in the measured run").isEqualTo(32);
            }
        }
        finally {
            try (Connection connection = DriverManager.getConnection(environment.get("XCOM_TEST_PG_JDBC_URL"),
                    environment.getOrDefault("XCOM_TEST_PG_USER", "postgres"), environment.getOrDefault("XCOM_TEST_PG_PASSWORD", ""));
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + report.schema() + " CASCADE");
            }
        }
    }
}
