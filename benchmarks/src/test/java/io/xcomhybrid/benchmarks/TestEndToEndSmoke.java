package io.xcomhybrid.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness runs one tiny round on SQLite and prints a figure for each operation; no time is asserted. */
class TestEndToEndSmoke
{
    @Test
    void smallRoundOnSqlitePrintsFigures()
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            EndToEnd.run(new String[] {"--parts", "small", "--databases", "sqlite", "--runs", "1", "--small-ops", "16", "--threads", "1,4"}, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        // the pool is as large as the most threads, as the raw side has one connection per thread
        assertThat(report).contains("threads [1, 4], metadata_pool_size 4 (raw JDBC: one connection per thread)");
        String figures = "[0-9]+ / [0-9]+ / [0-9]+ \\| [0-9]+ / [0-9]+";
        for (String threads : new String[] {"1", "4"}) {
            for (String operation : new String[] {"push", "pull", "push+pull"}) {
                assertThat(report).containsPattern("\\| sqlite \\| " + threads + " \\| " + Pattern.quote(operation) + " \\| " + figures + " \\| " + figures
                        + " \\| [0-9]+\\.[0-9]{2} \\|");
            }
        }
        assertThat(report).doesNotContain("| sqlite | 8 |");
    }

    @Test
    void threadCountsAboveTheOperationsAreRefused()
    {
        assertThatThrownBy(() -> EndToEnd.run(new String[] {"--parts", "small", "--databases", "sqlite", "--small-ops", "16", "--threads", "1,32"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--threads");
    }
}
