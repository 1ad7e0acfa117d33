package io.xcomhybrid.config;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The Python library behaviour that config values depend on; expected values were produced with Python 3.11. */
class TestPythonRules
{
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
