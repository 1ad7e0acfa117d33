package io.xcomhybrid.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The large-value part runs one 1 MiB round (the harness itself checks that each push went to an object of the
 * value's size and each pull returned every byte) and prints a row per operation; no time is asserted.
 */
class TestEndToEndLargeSmoke
{
    @Test
    void oneMebibyteRoundPrintsEveryOperation()
            throws Exception
    {
        String report = report("--parts", "large", "--large-mib", "1", "--codecs", "gzip,zstd", "--runs", "1", "--compression-threads", "2", "--large-warmup", "2");
        assertThat(report).contains("compression-threads=2").contains("large-warmup=2");
        String number = "[0-9]+\\.[0-9]";
        for (String codec : new String[] {"gzip", "zstd"}) {
            for (String operation : new String[] {"push (value -> JSON -> ", "push (JSON text -> transcode -> ", "pull (file -> "}) {
                assertThat(report).containsPattern("\\| 1 MiB \\| " + codec + " \\| " + Pattern.quote(operation) + "[^|]*\\| " + number + "+ / " + number + "+ / " + number
                        + "+ \\| " + number + "+ \\| [0-9.]+ \\| (" + number + "+|-) \\| [0-9.]+ \\| [1-9][0-9]* \\|");
            }
        }
    }

    @Test
    void encodingThreadsAreUsedAndEveryOperationHasACpuRow()
            throws Exception
    {
        String report = report("--parts", "large", "--large-mib", "1", "--codecs", "lz4", "--runs", "1", "--large-warmup", "1", "--encoding-threads", "2");
        assertThat(report).contains("encoding-threads=2").contains("### CPU of each operation's median run");
        for (String operation : new String[] {"push value", "push JSON text", "pull JSON text", "pull value"}) {
            // wall, JVM CPU and caller CPU in ms, cores busy, the stages' CPU, inflation, bound MB/s and its share of the ceiling
            // (the last three are - when the stages took less than the CPU clock's 10 ms tick)
            assertThat(report).containsPattern("\\| 1 MiB \\| lz4 \\| " + operation + " \\| [0-9]+\\.[0-9] \\| [0-9]+\\.[0-9] \\| [0-9]+\\.[0-9] \\| [0-9.]+ \\| [0-9.]+ \\+ [0-9.]+ \\| ([0-9.]+|-) \\| ([0-9.]+|-) \\| ([0-9.]+|-) \\|");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void localFsyncIsPassedToTheStore(String fsync)
            throws Exception
    {
        String report = report("--parts", "large", "--large-mib", "1", "--codecs", "lz4", "--runs", "1", "--large-warmup", "0", "--local-fsync", fsync);
        assertThat(report).contains("local-fsync=" + fsync);
        assertThat(report).containsPattern("\\| 1 MiB \\| lz4 \\| " + Pattern.quote("push (value -> JSON -> "));
    }

    @Test
    void localFsyncMustBeABoolean()
    {
        assertThatThrownBy(() -> EndToEnd.run(new String[] {"--parts", "large", "--local-fsync", "yes"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--local-fsync must be true or false: yes");
    }

    @Test
    void warmUpPushesAbout32MebibytesByDefault()
    {
        assertThat(EndToEnd.largeWarmupRuns(1)).isEqualTo(20);
        assertThat(EndToEnd.largeWarmupRuns(8)).isEqualTo(4);
        assertThat(EndToEnd.largeWarmupRuns(64)).isEqualTo(1);
        assertThat(LargeValues.warmupRuns(0.1)).isEqualTo(20);
        assertThat(LargeValues.warmupRuns(8)).isEqualTo(4);
        assertThat(LargeValues.warmupRuns(1024)).isEqualTo(1);
    }

    /** What {@code EndToEnd} prints with these arguments. */
    private static String report(String... args)
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            EndToEnd.run(args, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
