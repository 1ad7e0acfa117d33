package io.xcomhybrid.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expected values were checked against Python 3.11's {@code configparser.ConfigParser()} with Airflow's
 * case-preserving {@code optionxform}.
 */
class TestIniFile
{
    private static final String FILE = "airflow.cfg";

    @TempDir
    Path temp;

    private static IniFile parse(String text)
    {
        return IniFile.parse(FILE, text);
    }

    private static String raw(String text, String section, String key)
    {
        return parse(text).find(section, key).orElseThrow().value();
    }

    private static String value(String text, String section, String key)
    {
        IniFile ini = parse(text);
        return ini.interpolate(section, ini.find(section, key).orElseThrow());
    }

    private static Map<String, String> section(String text, String section)
    {
        return parse(text).entries().stream()
                .filter(entry -> entry.section().equals(section))
                .collect(Collectors.toMap(IniFile.Entry::key, IniFile.Entry::value, (a, b) -> b, java.util.LinkedHashMap::new));
    }

    @Test
    void bothDelimitersAndFirstOneWins()
    {
        String text = "[a]\nk: v=1\nj=a:b\nspaced   =   value  \nkey with space = 3\n";
        assertThat(section(text, "a")).containsExactly(
                Map.entry("k", "v=1"), Map.entry("j", "a:b"), Map.entry("spaced", "value"), Map.entry("key with space", "3"));
    }

    @Test
    void inlineCommentsAreNotStripped()
    {
        assertThat(raw("[a]\nk = v # c\nj = w ; c\n", "a", "k")).isEqualTo("v # c");
        assertThat(raw("[a]\nk = v # c\nj = w ; c\n", "a", "j")).isEqualTo("w ; c");
    }

    @Test
    void fullLineCommentsAndBlankLinesAreSkipped()
    {
        String text = "# top\n; also\n\n[a]\n  # indented comment\nk = v\n\n; end\n";
        assertThat(section(text, "a")).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void continuationLinesKeepInnerBlankLinesAndDropTrailingOnes()
    {
        String text = "[a]\nk =\n  x\n\n  y\n\n\nj = 1\n";
        assertThat(raw(text, "a", "k")).isEqualTo("\nx\n\ny");
        assertThat(raw(text, "a", "j")).isEqualTo("1");
    }

    @Test
    void commentLinesInsideAValueAreDropped()
    {
        assertThat(raw("[a]\nk = v\n  # comment\n  y\n", "a", "k")).isEqualTo("v\ny");
    }

    @Test
    void continuationIsRelativeToTheOptionIndent()
    {
        String sameIndent = "[a]\n  k = v\n  j = w\n l = 3\n";
        assertThat(section(sameIndent, "a")).containsExactly(Map.entry("k", "v"), Map.entry("j", "w"), Map.entry("l", "3"));
        String deeper = "[a]\n  k = v\n    j = w\nl = 3\n   m = 4\n";
        assertThat(section(deeper, "a")).containsExactly(Map.entry("k", "v\nj = w"), Map.entry("l", "3\nm = 4"));
    }

    @Test
    void tabsIndentContinuations()
    {
        assertThat(raw("[a]\nk\t=\tv\n\tcont\n", "a", "k")).isEqualTo("v\ncont");
    }

    @Test
    void crlfAndLoneCrEndLines()
    {
        assertThat(raw("[a]\r\nk = v\r\n  c\r\nj = 2\r\n", "a", "k")).isEqualTo("v\nc");
        assertThat(raw("[a]\rk = v\rj = 2\r", "a", "j")).isEqualTo("2");
    }

    @Test
    void pythonWhitespaceIsStripped()
    {
        assertThat(raw("[a]\nk = \u00a0v\u00a0\n", "a", "k")).isEqualTo("v");
    }

    @Test
    void sectionHeaderRules()
    {
        String text = "[ a ] trailing text\nk=1\n[b]]\nj=2\n";
        assertThat(parse(text).find(" a ", "k")).isPresent();
        assertThat(parse(text).find("a", "k")).isEmpty();
        assertThat(parse(text).find("b]", "j")).isPresent();
    }

    @Test
    void sectionAndKeyNamesAreCaseSensitive()
    {
        IniFile ini = parse("[Core]\nKey = 1\n[core]\nkey = 2\nKEY = 3\n");
        assertThat(ini.find("Core", "Key").orElseThrow().value()).isEqualTo("1");
        assertThat(ini.find("core", "key").orElseThrow().value()).isEqualTo("2");
        assertThat(ini.find("core", "KEY").orElseThrow().value()).isEqualTo("3");
        assertThat(ini.find("Core", "key")).isEmpty();
    }

    @Test
    void defaultSectionIsVisibleInExistingSectionsOnly()
    {
        IniFile ini = parse("[DEFAULT]\nd = 1\n[a]\nk = 2\n");
        assertThat(ini.find("a", "d").orElseThrow().value()).isEqualTo("1");
        assertThat(ini.find("missing", "d")).isEmpty();
        assertThat(ini.find("a", "k").orElseThrow().line()).isEqualTo(4);
    }

    @Test
    void duplicateKeyNamesFileBothLinesAndKey()
    {
        assertThatThrownBy(() -> parse("[a]\nk=1\n\nk=2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ":4: ")
                .hasMessageContaining("duplicate key 'k' in section [a]")
                .hasMessageContaining("first at line 2");
    }

    @Test
    void duplicateKeyInContinuationAndDefault()
    {
        assertThatThrownBy(() -> parse("[DEFAULT]\nd = 1\n  more\nd = 2\n"))
                .hasMessageStartingWith(FILE + ":4: ")
                .hasMessageContaining("duplicate key 'd' in section [DEFAULT]");
    }

    @Test
    void keysDifferingInCaseAreNotDuplicates()
    {
        assertThat(section("[a]\nk=1\nK=2\n", "a")).containsExactly(Map.entry("k", "1"), Map.entry("K", "2"));
    }

    @Test
    void duplicateSectionNamesBothLines()
    {
        assertThatThrownBy(() -> parse("[a]\nk=1\n[b]\n[a]\nj=2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ":4: ")
                .hasMessageContaining("duplicate section [a]")
                .hasMessageContaining("first at line 1");
    }

    @Test
    void repeatedDefaultHeaderIsAllowed()
    {
        assertThat(parse("[DEFAULT]\na=1\n[DEFAULT]\nb=2\n[s]\n").find("s", "b")).isPresent();
    }

    @Test
    void optionBeforeAnySectionNamesKeyButNotValue()
    {
        assertThatThrownBy(() -> parse("# header\nsql_alchemy_conn = postgresql://u:hunter2@h/db\n[core]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ":2: ")
                .hasMessageContaining("key 'sql_alchemy_conn' appears before any [section] header")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void lineWithoutDelimiterIsAnError()
    {
        assertThatThrownBy(() -> parse("[a]\nk = 1\nhunter2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ":3: ")
                .hasMessageContaining("[a]")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void continuationRightAfterHeaderIsAnError()
    {
        assertThatThrownBy(() -> parse("[a]\n  x\n")).hasMessageStartingWith(FILE + ":2: ");
    }

    @Test
    void emptyKeyAndEmptyHeaderAreErrors()
    {
        assertThatThrownBy(() -> parse("[a]\n= v\n")).hasMessageStartingWith(FILE + ":2: ").hasMessageContaining("no key");
        assertThatThrownBy(() -> parse("[a]\n[]\n")).hasMessageStartingWith(FILE + ":2: ");
    }

    @Test
    void emptyValue()
    {
        assertThat(raw("[a]\nk =\n", "a", "k")).isEmpty();
    }

    @Test
    void interpolationEscapesAndReferences()
    {
        assertThat(value("[a]\nk = 100%%\n", "a", "k")).isEqualTo("100%");
        assertThat(value("[a]\nbase = /data\nk = %(base)s/x\n", "a", "k")).isEqualTo("/data/x");
        assertThat(value("[DEFAULT]\nroot = /r\n[a]\nk = %(root)s/x\n", "a", "k")).isEqualTo("/r/x");
        assertThat(value("[a]\nb = 1\n  2\nk = <%(b)s>\n", "a", "k")).isEqualTo("<1\n2>");
        // A referenced value is interpolated once more, so an escaped reference comes out literally.
        assertThat(value("[a]\nx = %%(y)s\ny = 1\nk = %(x)s\n", "a", "k")).isEqualTo("%(y)s");
    }

    @Test
    void defaultEntriesResolveInTheRequestingSection()
    {
        String text = "[DEFAULT]\nd = %(local)s!\n[a]\nlocal = A\n[b]\nlocal = B\n";
        IniFile ini = parse(text);
        assertThat(ini.interpolate("a", ini.find("a", "d").orElseThrow())).isEqualTo("A!");
        assertThat(ini.interpolate("b", ini.find("b", "d").orElseThrow())).isEqualTo("B!");
    }

    @Test
    void interpolationDepthMatchesPython()
    {
        StringBuilder ten = new StringBuilder("[a]\n");
        for (int i = 0; i < 10; i++) {
            ten.append("v").append(i).append(" = %(v").append(i + 1).append(")s\n");
        }
        assertThat(value(ten + "v10 = end\n", "a", "v0")).isEqualTo("end");

        StringBuilder eleven = new StringBuilder("[a]\n");
        for (int i = 0; i < 11; i++) {
            eleven.append("v").append(i).append(" = %(v").append(i + 1).append(")s\n");
        }
        assertThatThrownBy(() -> value(eleven + "v11 = end\n", "a", "v0"))
                .hasMessageStartingWith(FILE + ":2: [a] v0: ")
                .hasMessageContaining("deeper than 10");

        StringBuilder percents = new StringBuilder("[a]\n");
        for (int i = 0; i < 9; i++) {
            percents.append("v").append(i).append(" = %(v").append(i + 1).append(")s%%\n");
        }
        assertThat(value(percents + "v9 = end%%\n", "a", "v0")).isEqualTo("end%%%%%%%%%%");
    }

    @Test
    void interpolationErrorsNameFileLineSectionKeyButNotValue()
    {
        assertThatThrownBy(() -> value("[database]\n\nsql_alchemy_conn = postgresql://u:p%40ss@h/db\n", "database", "sql_alchemy_conn"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ":3: [database] sql_alchemy_conn: ")
                .hasMessageContaining("'%' must be followed by '%' or '('")
                .hasMessageContaining("%%")
                .hasMessageNotContaining("p%40ss");
        assertThatThrownBy(() -> value("[a]\nk = %(nope)s\n", "a", "k"))
                .hasMessageStartingWith(FILE + ":2: [a] k: ")
                .hasMessageContaining("%(nope)s")
                .hasMessageContaining("no key 'nope'");
        assertThatThrownBy(() -> value("[a]\nk = %(x\n", "a", "k")).hasMessageContaining("bad interpolation reference");
        assertThatThrownBy(() -> value("[a]\nk = %(k)s\n", "a", "k")).hasMessageContaining("deeper than 10");
        // names in references are case-sensitive, like the option names they point to
        assertThatThrownBy(() -> value("[a]\nBase = 1\nk = %(base)s\n", "a", "k")).hasMessageContaining("no key 'base'");
        assertThatThrownBy(() -> value("[a]\nk = 50%\n", "a", "k")).hasMessageContaining("'%' must be followed");
    }

    @Test
    void readsFileWithCrlf()
            throws IOException
    {
        Path file = temp.resolve("airflow.cfg");
        Files.writeString(file, "[common.io]\r\nxcom_objectstorage_path = s3://aws_default@bucket/xcom\r\n");
        IniFile ini = IniFile.read(file);
        assertThat(ini.find("common.io", "xcom_objectstorage_path").orElseThrow().value()).isEqualTo("s3://aws_default@bucket/xcom");
        assertThat(ini.location(ini.find("common.io", "xcom_objectstorage_path").orElseThrow())).isEqualTo(file + ":2");
    }

    @Test
    void byteOrderMarkIsRejectedLikeAirflow()
            throws IOException
    {
        Path file = temp.resolve("bom.cfg");
        Files.write(file, ("\uFEFF[core]\nk = 1\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> IniFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":1: ")
                .hasMessageContaining("byte order mark");
    }

    @Test
    void invalidUtf8NamesFileAndLine()
            throws IOException
    {
        Path file = temp.resolve("latin1.cfg");
        Files.write(file, "[core]\nk = 1\nname = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> IniFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3: ")
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void missingFile()
    {
        Path file = temp.resolve("nope.cfg");
        assertThatThrownBy(() -> IniFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Config file not found: " + file);
    }

    @Test
    void entriesInFileOrderWithLines()
    {
        IniFile ini = parse("[b]\nx = 1\n[a]\ny = 2\n  z\n");
        assertThat(ini.entries()).containsExactly(new IniFile.Entry("b", "x", "1", 2), new IniFile.Entry("a", "y", "2\nz", 4));
    }
}
