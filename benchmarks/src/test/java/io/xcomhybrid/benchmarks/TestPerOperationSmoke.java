package io.xcomhybrid.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness runs a few operations on local files and prints a distribution for each; no time is asserted. */
class TestPerOperationSmoke
{
    @Test
    void localRoundPrintsEveryOperation(@TempDir Path work)
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            PerOperation.run(new String[] {"--mib", "0.125", "--codecs", "lz4,gzip", "--ops", "3", "--warmup", "1", "--local-fsync", "false",
                    "--work", work.toString()}, out);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("local_fsync false");
        String figures = "[0-9]+\\.[0-9]{3} / [0-9]+\\.[0-9]{3} / [0-9]+\\.[0-9]{3} / [0-9]+\\.[0-9]{3} \\| [0-9]+\\.[0-9] \\|";
        for (String codec : new String[] {"lz4", "gzip"}) {
            for (String operation : new String[] {"push value", "JSON encode alone", "compress alone", "pullJson to sink", "decompress alone", "pull value",
                    "JSON parse alone"}) {
                assertThat(report).containsPattern("\\| local \\| 0\\.125 MiB \\| " + codec + " \\| " + Pattern.quote(operation) + " \\| " + figures);
            }
        }
    }

    @Test
    void unknownOptionIsRefused()
    {
        assertThatThrownBy(() -> PerOperation.run(new String[] {"--size", "1"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--size");
    }
}
