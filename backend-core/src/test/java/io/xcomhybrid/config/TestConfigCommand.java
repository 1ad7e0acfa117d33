package io.xcomhybrid.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs real processes ({@code sh}, {@code printenv}, {@code head}); split rules checked against Python 3.11's {@code shlex.split}. */
class TestConfigCommand
{
    @Test
    void shlexSplit()
    {
        assertThat(ConfigCommand.split("cat /run/secrets/x")).containsExactly("cat", "/run/secrets/x");
        assertThat(ConfigCommand.split("sh -c \"echo $X\"")).containsExactly("sh", "-c", "echo $X");
        assertThat(ConfigCommand.split("echo 'a b' c\\ d")).containsExactly("echo", "a b", "c d");
        assertThat(ConfigCommand.split("echo \"a\\\"b\\$c\"")).containsExactly("echo", "a\"b\\$c");
        assertThat(ConfigCommand.split("echo ''")).containsExactly("echo", "");
        assertThat(ConfigCommand.split("echo a#b")).containsExactly("echo", "a#b");
        assertThat(ConfigCommand.split("echo \"\"x")).containsExactly("echo", "x");
        assertThat(ConfigCommand.split("  \t ")).isEmpty();
        assertThatThrownBy(() -> ConfigCommand.split("echo 'open")).hasMessage("No closing quotation");
        assertThatThrownBy(() -> ConfigCommand.split("echo \\")).hasMessage("No escaped character");
    }

    @Test
    void commandGetsTheConfiguredEnvironmentAndNoShell()
    {
        Map<String, String> environment = Map.of("GREETING", "hello");
        assertThat(ConfigCommand.run("printenv GREETING", environment, "s")).isEqualTo("hello\n");
        // no shell: the argument reaches echo unexpanded
        assertThat(ConfigCommand.run("echo $GREETING", environment, "s")).isEqualTo("$GREETING\n");
        assertThatThrownBy(() -> ConfigCommand.run("  ", environment, "[a] b (src)"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("[a] b (src): the command is empty");
    }

    @Test
    void largeOutputOnBothStreamsDoesNotDeadlock()
    {
        String output = ConfigCommand.run("sh -c 'head -c 300000 /dev/zero | tr \"\\\\0\" a; head -c 300000 /dev/zero >&2'",
                Map.of(), "s");
        assertThat(output).hasSize(300000).matches("a+");
    }

    @Test
    void outputOverOneMebibyteIsRefused()
    {
        assertThatThrownBy(() -> ConfigCommand.run("head -c 2000000 /dev/zero", Map.of(), "[a] b (src)"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("[a] b (src): ")
                .hasMessageContaining("more than 1048576 bytes");
    }

    @Test
    void nonZeroExitShowsStderrButNotStdout()
    {
        assertThatThrownBy(() -> ConfigCommand.run("sh -c 'echo hunter2; echo no such secret >&2; exit 4'", Map.of(), "[a] b (src)"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("[a] b (src): the command failed with exit status 4; stderr: no such secret");
    }
}
