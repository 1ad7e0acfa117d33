package io.xcomhybrid.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness on a tiny configuration: a seed push, a push and a pull of 1 MiB values in child JVMs, one table row each.
 * The heap is roomy so that the smoke test checks the harness, not the GCLocker race it exists to look for.
 */
class TestJniStressSmoke
{
    @Test
    void reportsEachDirectionOfEachCodec()
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JniStress.run(new String[] {"--codecs", "lz4", "--compression-threads", "0", "--xmx", "256m", "--threads", "2", "--mib", "1", "--rounds", "1"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> rows = bytes.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("| lz4 ")).toList();
        // codec, compression_threads, direction, try, exit, GCLocker warnings, OutOfMemoryError: both children finished cleanly
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith("| lz4 | 0 | push | 1 | 0 | 0 | 0 |");
        assertThat(rows.get(1)).startsWith("| lz4 | 0 | pull | 1 | 0 | 0 | 0 |");
    }
}
