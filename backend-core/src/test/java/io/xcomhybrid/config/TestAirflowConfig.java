package io.xcomhybrid.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAirflowConfig
{
    @TempDir
    Path temp;

    private Path file(String text)
            throws IOException
    {
        Path file = temp.resolve("airflow.cfg");
        Files.writeString(file, text);
        return file;
    }

    private AirflowConfig load(String text, Map<String, String> environment)
            throws IOException
    {
        return AirflowConfig.load(Optional.of(file(text)), environment);
    }

    @Test
    void fileValueWithFileAndLineSource()
            throws IOException
    {
        AirflowConfig config = load("[common.io]\nxcom_objectstorage_path = s3://aws_default@bucket/xcom\nxcom_objectstorage_threshold = 1000\n", Map.of());
        ConfigValue value = config.lookup("common.io", "xcom_objectstorage_path").orElseThrow();
        assertThat(value.value()).isEqualTo("s3://aws_default@bucket/xcom");
        assertThat(value.source()).isEqualTo(temp.resolve("airflow.cfg") + ":2");
        assertThat(value.secret()).isFalse();
        assertThat(config.getInt("common.io", "xcom_objectstorage_threshold", -1)).isEqualTo(1000);
        assertThat(config.getInt("common.io", "missing", -1)).isEqualTo(-1);
    }

    @Test
    void lookupNamesAreCaseInsensitiveButFileNamesMustBeLowerCase()
            throws IOException
    {
        AirflowConfig config = load("[core]\nxcom_backend = a.B\n[Logging]\nlevel = INFO\n[api]\nPort = 8080\n", Map.of());
        assertThat(config.get("CORE", "XCOM_Backend")).contains("a.B");
        // Airflow lower-cases what it asks for, not what the file says: these are never read.
        assertThat(config.get("logging", "level")).isEmpty();
        assertThat(config.get("Logging", "level")).isEmpty();
        assertThat(config.get("api", "port")).isEmpty();
        assertThat(config.problems())
                .anySatisfy(problem -> assertThat(problem).contains("airflow.cfg:4", "[Logging] level", "never read"))
                .anySatisfy(problem -> assertThat(problem).contains("airflow.cfg:6", "[api] Port"));
    }

    @Test
    void environmentOverridesFileForDottedSectionAbsentFromFile()
            throws IOException
    {
        AirflowConfig config = load("[core]\nxcom_backend = x\n", Map.of(
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "gs://bucket/p",
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "0"));
        ConfigValue path = config.lookup("common.io", "xcom_objectstorage_path").orElseThrow();
        assertThat(path.value()).isEqualTo("gs://bucket/p");
        assertThat(path.source()).isEqualTo("env AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH");
        assertThat(path.describe()).isEqualTo("[common.io] xcom_objectstorage_path (env AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH)");
        assertThat(config.getLong("common.io", "xcom_objectstorage_threshold", -1)).isZero();
    }

    @Test
    void environmentBeatsFile()
            throws IOException
    {
        AirflowConfig config = load("[common.io]\nxcom_objectstorage_threshold = 10\n",
                Map.of("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "20"));
        assertThat(config.getInt("common.io", "xcom_objectstorage_threshold", -1)).isEqualTo(20);
        assertThat(config.lookup("common.io", "xcom_objectstorage_threshold").orElseThrow().source())
                .isEqualTo("env AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD");
    }

    @Test
    void bareOrMisspelledVariablesAreIgnored()
    {
        // #49154: the bare name does nothing; neither do lower-case or single-underscore forms
        AirflowConfig config = AirflowConfig.of(Map.of(), Map.of(
                "xcom_objectstorage_threshold", "0",
                "AIRFLOW__common_io__xcom_objectstorage_threshold", "0",
                "AIRFLOW_COMMON_IO_XCOM_OBJECTSTORAGE_THRESHOLD", "0"));
        assertThat(config.getInt("common.io", "xcom_objectstorage_threshold", -1)).isEqualTo(-1);
        assertThat(config.problems()).anySatisfy(problem -> assertThat(problem).contains("AIRFLOW__common_io__xcom_objectstorage_threshold", "upper-case"));
    }

    @Test
    void environmentVariableName()
    {
        assertThat(AirflowConfig.environmentVariable("common.io", "xcom_objectstorage_path")).isEqualTo("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH");
        assertThat(AirflowConfig.environmentVariable("Database", "SQL_alchemy_conn")).isEqualTo("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN");
    }

    @Test
    void variablesAndHomeAreExpandedInFileAndEnvironmentValues()
            throws IOException
    {
        Map<String, String> environment = Map.of(
                "HOME", "/home/u",
                "AIRFLOW_HOME", "/opt/airflow",
                "B", "$A",
                "A", "1",
                "AIRFLOW__CORE__DAGS_FOLDER", "${AIRFLOW_HOME}/dags");
        AirflowConfig config = load("[core]\nbase_log_folder = $AIRFLOW_HOME/logs\nplugins = ~/plugins\nunknown = $NOPE/x\nnested = $B\n", environment);
        assertThat(config.get("core", "base_log_folder")).contains("/opt/airflow/logs");
        assertThat(config.get("core", "plugins")).contains("/home/u/plugins");
        assertThat(config.get("core", "unknown")).contains("$NOPE/x");
        assertThat(config.get("core", "nested")).contains("1");
        assertThat(config.get("core", "dags_folder")).contains("/opt/airflow/dags");
    }

    @Test
    void expansionMatchesPosixpath()
    {
        Map<String, String> environment = Map.of("HOME", "/home/u", "A", "1", "B", "$A");
        assertThat(EnvironmentExpansion.expand("${A}y", environment, "s")).isEqualTo("1y");
        assertThat(EnvironmentExpansion.expand("${}", environment, "s")).isEqualTo("${}");
        assertThat(EnvironmentExpansion.expand("${A", environment, "s")).isEqualTo("${A");
        assertThat(EnvironmentExpansion.expand("$A$A", environment, "s")).isEqualTo("11");
        assertThat(EnvironmentExpansion.expand("$\u00e9", environment, "s")).isEqualTo("$\u00e9");
        assertThat(EnvironmentExpansion.expand("~", environment, "s")).isEqualTo("/home/u");
        assertThat(EnvironmentExpansion.expand("~/", environment, "s")).isEqualTo("/home/u/");
        assertThat(EnvironmentExpansion.expand("~x/d", environment, "s")).isEqualTo("~x/d");
        assertThat(EnvironmentExpansion.expand("a~", environment, "s")).isEqualTo("a~");
    }

    @Test
    void expansionThatNeverSettlesIsAnError()
    {
        AirflowConfig config = AirflowConfig.of(Map.of(), Map.of("A", "x$A", "AIRFLOW__CORE__LOOP", "$A"));
        assertThatThrownBy(() -> config.get("core", "loop"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[core] loop (env AIRFLOW__CORE__LOOP)")
                .hasMessageContaining("did not settle");
    }

    @Test
    void percentIsInterpolatedInTheFileButNotInTheEnvironment()
            throws IOException
    {
        AirflowConfig config = load("[core]\nbase = /b\nfile = %(base)s/x 100%%\n", Map.of("AIRFLOW__CORE__ENV", "%(base)s 100%%"));
        assertThat(config.get("core", "file")).contains("/b/x 100%");
        assertThat(config.get("core", "env")).contains("%(base)s 100%%");
    }

    @Test
    void interpolationErrorSurfacesOnLookupOnly()
            throws IOException
    {
        AirflowConfig config = load("[logging]\nlog_format = %(asctime)s\n[core]\nok = 1\n", Map.of());
        assertThat(config.getInt("core", "ok", 0)).isEqualTo(1);
        assertThatThrownBy(() -> config.get("logging", "log_format"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("airflow.cfg:2: [logging] log_format")
                .hasMessageContaining("asctime");
        assertThat(config.entries()).extracting(ConfigValue::key).containsExactly("ok");
        assertThat(config.problems()).anySatisfy(problem -> assertThat(problem).contains("log_format"));
    }

    @Test
    void environmentOverrideHidesBrokenFileValue()
            throws IOException
    {
        AirflowConfig config = load("[logging]\nlog_format = 50%\n", Map.of("AIRFLOW__LOGGING__LOG_FORMAT", "plain"));
        assertThat(config.get("logging", "log_format")).contains("plain");
    }

    @Test
    void defaultSectionValuesApplyToSectionsInTheFile()
            throws IOException
    {
        AirflowConfig config = load("[DEFAULT]\nroot = /srv\n[core]\ndags_folder = %(root)s/dags\n", Map.of());
        assertThat(config.get("core", "dags_folder")).contains("/srv/dags");
        assertThat(config.get("core", "root")).contains("/srv");
        assertThat(config.get("webserver", "root")).isEmpty();
    }

    @Test
    void commandVariableForSensitiveOption()
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD", "printf 'postgresql://u:p@h/db'");
        AirflowConfig config = AirflowConfig.of(Map.of("database", Map.of("sql_alchemy_conn", "sqlite:///file")), environment);
        ConfigValue value = config.lookup("database", "sql_alchemy_conn").orElseThrow();
        assertThat(value.value()).isEqualTo("postgresql://u:p@h/db");
        assertThat(value.source()).isEqualTo("env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD");
        assertThat(value.secret()).isTrue();
        assertThat(value.toString()).doesNotContain("u:p@h");
    }

    @Test
    void commandOutputIsKeptVerbatimIncludingTrailingNewline()
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("AIRFLOW__CORE__FERNET_KEY_CMD", "echo 'a b'");
        AirflowConfig config = AirflowConfig.of(Map.of(), environment);
        assertThat(config.get("core", "fernet_key")).contains("a b\n");
    }

    @Test
    void plainVariableBeatsCommandVariable()
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "sqlite:///plain");
        environment.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD", "false");
        AirflowConfig config = AirflowConfig.of(Map.of(), environment);
        assertThat(config.get("database", "sql_alchemy_conn")).contains("sqlite:///plain");
    }

    @Test
    void commandVariableIsIgnoredForOptionsThatAreNotSensitive()
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH_CMD", "echo s3://x");
        AirflowConfig config = AirflowConfig.of(Map.of(), environment);
        assertThat(config.get("common.io", "xcom_objectstorage_path")).isEmpty();
    }

    @Test
    void failingCommandNamesVariableButNeitherCommandNorOutput()
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD", "sh -c 'echo hunter2; echo oops >&2; exit 3'");
        AirflowConfig config = AirflowConfig.of(Map.of(), environment);
        assertThatThrownBy(() -> config.get("database", "sql_alchemy_conn"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[database] sql_alchemy_conn (env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD)")
                .hasMessageContaining("exit status 3")
                .hasMessageContaining("oops")
                .hasMessageNotContaining("hunter2");
        assertThat(config.problems()).anySatisfy(problem -> assertThat(problem).contains("exit status 3"));
    }

    @Test
    void missingCommandAndBadQuoting()
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("AIRFLOW__CORE__FERNET_KEY_CMD", "/nonexistent/tool --flag");
        environment.put("AIRFLOW__API__SECRET_KEY_CMD", "echo 'unclosed");
        AirflowConfig config = AirflowConfig.of(Map.of(), environment);
        assertThatThrownBy(() -> config.get("core", "fernet_key"))
                .hasMessageContaining("AIRFLOW__CORE__FERNET_KEY_CMD")
                .hasMessageContaining("cannot start");
        assertThatThrownBy(() -> config.get("api", "secret_key"))
                .hasMessageContaining("AIRFLOW__API__SECRET_KEY_CMD")
                .hasMessageContaining("No closing quotation");
    }

    @Test
    void commandRunsWithoutAShellAndOnlyOnce()
            throws IOException
    {
        Path counter = temp.resolve("count");
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("COUNTER", counter.toString());
        // $COUNTER is not expanded by Airflow's shlex-based runner; sh -c does it here explicitly.
        environment.put("AIRFLOW__CORE__FERNET_KEY_CMD", "sh -c 'echo x >> \"$COUNTER\"; printf key'");
        AirflowConfig config = AirflowConfig.of(Map.of(), environment);
        assertThat(config.get("core", "fernet_key")).contains("key");
        assertThat(config.get("core", "fernet_key")).contains("key");
        assertThat(config.entries()).anySatisfy(value -> assertThat(value.key()).isEqualTo("fernet_key"));
        assertThat(Files.readAllLines(counter)).hasSize(1);
    }

    @Test
    void fileCommandForSensitiveOption()
            throws IOException
    {
        Map<String, String> environment = new HashMap<>(System.getenv());
        AirflowConfig config = load("[database]\nsql_alchemy_conn_cmd = printf %%s postgresql://x\n[core]\nother_cmd = echo no\n", environment);
        ConfigValue value = config.lookup("database", "sql_alchemy_conn").orElseThrow();
        assertThat(value.value()).isEqualTo("postgresql://x");
        assertThat(value.source()).endsWith("airflow.cfg:2 sql_alchemy_conn_cmd");
        assertThat(config.get("core", "other")).isEmpty();
        assertThat(config.get("core", "other_cmd")).contains("echo no");
    }

    @Test
    void fileValueBeatsFileCommand()
            throws IOException
    {
        AirflowConfig config = load("[database]\nsql_alchemy_conn = sqlite:///x\nsql_alchemy_conn_cmd = false\n", Map.of());
        assertThat(config.get("database", "sql_alchemy_conn")).contains("sqlite:///x");
    }

    @Test
    void secretVariableIgnoredWithoutBackendAndRefusedWithOne()
            throws IOException
    {
        AirflowConfig withoutBackend = load("[database]\nsql_alchemy_conn = sqlite:///file\n",
                Map.of("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET", "sql_alchemy_conn"));
        assertThat(withoutBackend.get("database", "sql_alchemy_conn")).contains("sqlite:///file");

        AirflowConfig withBackend = load("[database]\nsql_alchemy_conn = sqlite:///file\n[secrets]\nbackend = airflow.providers.hashicorp.secrets.vault.VaultBackend\n",
                Map.of("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET", "sql_alchemy_conn"));
        assertThatThrownBy(() -> withBackend.get("database", "sql_alchemy_conn"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[database] sql_alchemy_conn (env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET)")
                .hasMessageContaining("VaultBackend")
                .hasMessageContaining("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD");

        AirflowConfig fileSecret = load("[database]\nsql_alchemy_conn_secret = path\n", Map.of("AIRFLOW__SECRETS__BACKEND", "my.Backend"));
        assertThatThrownBy(() -> fileSecret.get("database", "sql_alchemy_conn")).hasMessageContaining("sql_alchemy_conn_secret");
    }

    @Test
    void typedGetterErrorsNameTheSource()
            throws IOException
    {
        AirflowConfig config = load("[common.io]\nxcom_objectstorage_threshold = lots\n[xcom_hybrid]\nflag = yes\nempty =\ntimeout = soon\n",
                Map.of("AIRFLOW__XCOM_HYBRID__BIG", "99999999999"));
        assertThatThrownBy(() -> config.getInt("common.io", "xcom_objectstorage_threshold", -1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid integer for [common.io] xcom_objectstorage_threshold (" + temp.resolve("airflow.cfg") + ":2): 'lots'");
        assertThatThrownBy(() -> config.getBoolean("xcom_hybrid", "flag", false))
                .hasMessageContaining("Invalid boolean for [xcom_hybrid] flag (")
                .hasMessageContaining("airflow.cfg:4");
        assertThatThrownBy(() -> config.getLong("xcom_hybrid", "empty", 5))
                .hasMessageContaining("airflow.cfg:5")
                .hasMessageContaining("remove the setting to use the default");
        assertThatThrownBy(() -> config.getInt("xcom_hybrid", "big", 5))
                .hasMessageContaining("out of range for [xcom_hybrid] big (env AIRFLOW__XCOM_HYBRID__BIG)");
        assertThatThrownBy(() -> config.getDuration("xcom_hybrid", "timeout", Duration.ZERO))
                .hasMessageContaining("Invalid duration for [xcom_hybrid] timeout (");
        assertThat(config.getLong("xcom_hybrid", "big", 5)).isEqualTo(99999999999L);
        assertThat(config.getDuration("xcom_hybrid", "empty", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void typedGetterErrorsMaskSecrets()
    {
        AirflowConfig config = AirflowConfig.of(Map.of("database", Map.of("sql_alchemy_conn", "hunter2")), Map.of());
        assertThatThrownBy(() -> config.getInt("database", "sql_alchemy_conn", 0))
                .hasMessageContaining("[database] sql_alchemy_conn (inline)")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> config.getDuration("database", "sql_alchemy_conn", Duration.ZERO))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void integersFollowPythonInt()
    {
        AirflowConfig config = AirflowConfig.of(Map.of("s", Map.of("a", " 1_000 ", "b", "+7", "c", "-1", "d", "1__0", "e", "_1", "f", "1.0")), Map.of());
        assertThat(config.getLong("s", "a", 0)).isEqualTo(1000);
        assertThat(config.getLong("s", "b", 0)).isEqualTo(7);
        assertThat(config.getLong("s", "c", 0)).isEqualTo(-1);
        for (String key : List.of("d", "e", "f")) {
            assertThatThrownBy(() -> config.getLong("s", key, 0)).as(key).hasMessageContaining("Invalid integer");
        }
    }

    @Test
    void booleansFollowAirflowGetboolean()
    {
        AirflowConfig config = AirflowConfig.of(Map.of("s", Map.of(
                "a", "True", "b", " t ", "c", "1", "d", "FALSE", "e", "f", "g", "0", "h", "true # comment", "i", "yes", "j", "")), Map.of());
        assertThat(config.getBoolean("s", "a", false)).isTrue();
        assertThat(config.getBoolean("s", "b", false)).isTrue();
        assertThat(config.getBoolean("s", "c", false)).isTrue();
        assertThat(config.getBoolean("s", "d", true)).isFalse();
        assertThat(config.getBoolean("s", "e", true)).isFalse();
        assertThat(config.getBoolean("s", "g", true)).isFalse();
        assertThat(config.getBoolean("s", "h", false)).isTrue();
        assertThat(config.getBoolean("s", "missing", true)).isTrue();
        assertThatThrownBy(() -> config.getBoolean("s", "i", false)).hasMessageContaining("Airflow accepts");
        assertThatThrownBy(() -> config.getBoolean("s", "j", false)).hasMessageContaining("Invalid boolean");
    }

    @Test
    void entriesListFileThenEnvironmentWithEffectiveSources()
            throws IOException
    {
        AirflowConfig config = load("[core]\nxcom_backend = a.B\n[common.io]\nxcom_objectstorage_threshold = 10\n", Map.of(
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "20",
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "s3://aws_default@bucket/x",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql://u:hunter2@h/db",
                "AIRFLOW_CONN_AWS_DEFAULT", "aws://"));
        assertThat(config.entries()).extracting(ConfigValue::toString).containsExactly(
                "[core] xcom_backend (" + temp.resolve("airflow.cfg") + ":2) = a.B",
                "[common.io] xcom_objectstorage_threshold (env AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD) = 20",
                "[common.io] xcom_objectstorage_path (env AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH) = s3://aws_default@bucket/x",
                "[database] sql_alchemy_conn (env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) = ****");
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void inlineConfigurationIsLiteralAndCaseInsensitive()
    {
        AirflowConfig config = AirflowConfig.of(Map.of("Common.IO", Map.of("XCOM_objectstorage_path", "file:///tmp/%(x)s/$HOME")), Map.of("HOME", "/h"));
        ConfigValue value = config.lookup("common.io", "xcom_objectstorage_path").orElseThrow();
        assertThat(value.value()).isEqualTo("file:///tmp/%(x)s/$HOME");
        assertThat(value.source()).isEqualTo("inline");
    }

    @Test
    void configurationFromTheEnvironmentOnly()
    {
        AirflowConfig config = AirflowConfig.load(Optional.empty(), Map.of("AIRFLOW__CORE__XCOM_BACKEND", "x.Y"));
        assertThat(config.get("core", "xcom_backend")).contains("x.Y");
        assertThat(config.file()).isEmpty();
        assertThat(config.toString()).contains("<none>");
    }

    @Test
    void syntaxErrorOnLoadNamesFileAndLine()
            throws IOException
    {
        Path file = file("[core]\nk = 1\nk = 2\n");
        assertThatThrownBy(() -> AirflowConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3: duplicate key 'k' in section [core]");
    }

    @Test
    void defaultConfigFileFollowsAirflow()
    {
        assertThat(AirflowConfig.defaultConfigFile(Map.of("AIRFLOW_CONFIG", "$AIRFLOW_HOME/custom.cfg", "AIRFLOW_HOME", "/opt/af")))
                .isEqualTo(Path.of("/opt/af/custom.cfg"));
        assertThat(AirflowConfig.defaultConfigFile(Map.of("AIRFLOW_HOME", "/opt/af"))).isEqualTo(Path.of("/opt/af/airflow.cfg"));
        assertThat(AirflowConfig.defaultConfigFile(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/airflow/airflow.cfg"));
    }

    @Test
    void connectionFromEnvironment()
    {
        AirflowConfig config = AirflowConfig.of(Map.of(), Map.of(
                "AIRFLOW_CONN_AWS_DEFAULT", "aws://AKIA:secret@?region_name=us-east-1",
                "AIRFLOW_CONN_EMPTY", ""));
        Connection connection = config.connection("aws_default").orElseThrow();
        assertThat(connection.connId()).isEqualTo("aws_default");
        assertThat(connection.login()).contains("AKIA");
        assertThat(connection.extraString("region_name")).contains("us-east-1");
        assertThat(config.connection("other")).isEmpty();
        assertThat(config.connection("empty")).isEmpty();
    }

    @Test
    void connectionErrorNamesVariable()
    {
        AirflowConfig config = AirflowConfig.of(Map.of(), Map.of("AIRFLOW_CONN_BROKEN", "{\"password\": \"hunter2\""));
        assertThatThrownBy(() -> config.connection("broken"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AIRFLOW_CONN_BROKEN")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void teamConnectionFirstThenPlain()
    {
        Map<String, String> environment = Map.of(
                "AIRFLOW_CONN__ANALYTICS___AWS_DEFAULT", "aws://team@",
                "AIRFLOW_CONN_AWS_DEFAULT", "aws://global@");
        AirflowConfig config = AirflowConfig.of(Map.of(), environment);
        assertThat(config.connection("aws_default", Optional.of("analytics")).orElseThrow().login()).contains("team");
        assertThat(config.connection("aws_default", Optional.of("other")).orElseThrow().login()).contains("global");
        assertThat(config.connection("aws_default").orElseThrow().login()).contains("global");
    }

    @Test
    void multiTeamModeRefusesConnIdsThatNameATeamNamespace()
    {
        Map<String, String> environment = Map.of("AIRFLOW_CONN__ANALYTICS___AWS_DEFAULT", "aws://team@");
        assertThat(AirflowConfig.of(Map.of(), environment).connection("_analytics___aws_default")).isPresent();
        AirflowConfig multiTeam = AirflowConfig.of(Map.of("core", Map.of("multi_team", "True")), environment);
        assertThat(multiTeam.connection("_analytics___aws_default")).isEmpty();
    }
}
