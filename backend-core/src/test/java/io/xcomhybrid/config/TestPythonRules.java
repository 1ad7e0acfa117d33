package io.xcomhybrid.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Python library behaviour that config values depend on; expected values were produced with Python 3.11. */
class TestPythonRules
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
    void pythonInt()
    {
        assertThat(PythonText.parseInt(" 42 ")).isEqualTo(OptionalLong.of(42));
        assertThat(PythonText.parseInt("-1_000")).isEqualTo(OptionalLong.of(-1000));
        assertThat(PythonText.parseInt("\u0661\u0662")).isEqualTo(OptionalLong.of(12));
        assertThat(PythonText.parseInt("")).isEmpty();
        assertThat(PythonText.parseInt("+")).isEmpty();
        assertThat(PythonText.parseInt("1_")).isEmpty();
        assertThat(PythonText.parseInt("0x10")).isEmpty();
        // Python's int has no bound; a value beyond long is rejected here
        assertThat(PythonText.parseInt("99999999999999999999")).isEmpty();
    }

    @Test
    void unquote()
    {
        assertThat(PythonText.unquote("a%20b+c")).isEqualTo("a b+c");
        assertThat(PythonText.unquote("%E2%82%AC")).isEqualTo("\u20ac");
        assertThat(PythonText.unquote("100%")).isEqualTo("100%");
        assertThat(PythonText.unquote("%4")).isEqualTo("%4");
        assertThat(PythonText.unquote("%zz%41")).isEqualTo("%zzA");
    }

    @Test
    void strip()
    {
        assertThat(PythonText.strip("\u00a0\t x \u2003\u0085")).isEqualTo("x");
        assertThat(PythonText.rstrip(" x \n\n")).isEqualTo(" x");
    }
}
