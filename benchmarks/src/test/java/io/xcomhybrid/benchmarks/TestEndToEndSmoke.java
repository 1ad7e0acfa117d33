package io.xcomhybrid.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness runs one tiny round on SQLite and prints a figure for each operation; no time is asserted. */
class TestEndToEndSmoke
{
    @Test
    void smallRoundOnSqlitePrintsFigures()
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            EndToEnd.run(new String[] {"--parts", "small", "--databases", "sqlite", "--runs", "1", "--small-ops", "16"}, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        for (String operation : new String[] {"push", "pull", "push+pull"}) {
            for (String implementation : new String[] {"xcom-hybrid", "raw JDBC"}) {
                assertThat(report).containsPattern("\\| sqlite \\| 8 \\| " + Pattern.quote(operation) + " \\| " + implementation + " \\| [0-9]+ / [0-9]+ / [0-9]+ \\| [0-9]+ \\| [0-9]+ \\|");
            }
        }
    }
}
