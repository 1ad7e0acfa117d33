package io.xcomhybrid.config;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expected values come from Airflow's own connection tests (airflow-core tests/unit/models/test_connection.py and the
 * Airflow 2 URI cases) and from running the task SDK's {@code Connection.from_uri} logic on Python 3.11.
 */
class TestConnections
{
    private static final String SOURCE = "AIRFLOW_CONN_TEST";

    private static Connection uri(String value)
    {
        return Connections.parse("test", value, SOURCE);
    }

    @Test
    void airflowTestFullUri()
    {
        Connection connection = uri("type://user:pass@host:100/schema");
        assertThat(connection.connId()).isEqualTo("test");
        assertThat(connection.connType()).isEqualTo("type");
        assertThat(connection.host()).contains("host");
        assertThat(connection.login()).contains("user");
        assertThat(connection.password()).contains("pass");
        assertThat(connection.port()).contains(100);
        assertThat(connection.schema()).contains("schema");
        assertThat(connection.extra()).isEmpty();
    }

    @Test
    void airflowTestQueryBecomesExtra()
    {
        Connection connection = uri("type://user:pass@host/schema?param1=val1&param2=val2");
        assertThat(connection.port()).isEmpty();
        assertThat(connection.extra()).containsExactly(Map.entry("param1", "val1"), Map.entry("param2", "val2"));
    }

    @Test
    void airflowTestHostOnly()
    {
        Connection connection = uri("type://host");
        assertThat(connection.host()).contains("host");
        assertThat(connection.login()).isEmpty();
        assertThat(connection.password()).isEmpty();
        assertThat(connection.schema()).isEmpty();
        assertThat(connection.port()).isEmpty();
    }

    @Test
    void airflowTestSparkQueryWithPlusAndDash()
    {
        Connection connection = uri("spark://mysparkcluster.com:80?deploy-mode=cluster&spark_binary=command&namespace=kube+namespace");
        assertThat(connection.host()).contains("mysparkcluster.com");
        assertThat(connection.port()).contains(80);
        assertThat(connection.extra()).containsExactly(
                Map.entry("deploy-mode", "cluster"), Map.entry("spark_binary", "command"), Map.entry("namespace", "kube namespace"));
    }

    @Test
    void airflowTestHostWithProtocol()
    {
        Connection spark = uri("spark://k8s://100.68.0.1:443?deploy-mode=cluster");
        assertThat(spark.connType()).isEqualTo("spark");
        assertThat(spark.host()).contains("k8s://100.68.0.1");
        assertThat(spark.port()).contains(443);

        Connection typed = uri("type://protocol://user:pass@host:123?param=value");
        assertThat(typed.host()).contains("protocol://host");
        assertThat(typed.login()).contains("user");
        assertThat(typed.password()).contains("pass");
        assertThat(typed.port()).contains(123);
        assertThat(typed.extra()).containsExactly(Map.entry("param", "value"));
    }

    @Test
    void airflowTestCredentialsBeforeProtocolAreInvalid()
    {
        assertThatThrownBy(() -> uri("type://user:pass@protocol://host:port?param=value"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("not a valid connection URI")
                .hasMessageNotContaining("pass");
    }

    @Test
    void moreThanTwoSchemesAreInvalid()
    {
        assertThatThrownBy(() -> uri("a://b://c://d"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("more than twice");
    }

    @Test
    void encodedSlashInHostKeepsTheRawHost()
    {
        Connection connection = uri("scheme://user:password@host%2Flocation:1234/schema");
        assertThat(connection.host()).contains("host/location");
        assertThat(connection.port()).contains(1234);
        assertThat(connection.schema()).contains("schema");

        assertThat(uri("scheme://user:password@host%2Flocation%3Ax%3Ay:1234/schema?extra1=a%20value&extra2=").host())
                .contains("host/location:x:y");
        // A host that decodes to a path is taken from the raw netloc, so its case is kept.
        assertThat(uri("scheme://user:password@%2FTmP%2F:1234").host()).contains("/TmP/");
    }

    @Test
    void queryValuesAreDecodedAndBlankValuesKept()
    {
        Connection connection = uri("scheme://user:password@host%2Flocation:1234/schema?extra1=a%20value&extra2=%2Fpath%2F&extra3=");
        assertThat(connection.extra()).containsExactly(
                Map.entry("extra1", "a value"), Map.entry("extra2", "/path/"), Map.entry("extra3", ""));
    }

    @Test
    void extraParameterHoldsWholeJson()
    {
        Connection connection = uri("scheme://user:password@host%2Flocation:1234/schema?__extra__=%7B%22my_val%22%3A+%5B%22list%22%2C+%22of%22%2C+"
                + "%22values%22%5D%2C+%22extra%22%3A+%7B%22nested%22%3A+%7B%22json%22%3A+%22val%22%7D%7D%7D");
        assertThat(connection.extra()).isEqualTo(Map.of(
                "my_val", List.of("list", "of", "values"),
                "extra", Map.of("nested", Map.of("json", "val"))));
        assertThat(connection.extraString("extra")).contains("{\"nested\":{\"json\":\"val\"}}");
        assertThat(connection.extraString("my_val")).contains("[\"list\",\"of\",\"values\"]");
    }

    @Test
    void extraParameterThatIsNotAnObjectIsRejected()
    {
        assertThatThrownBy(() -> uri("scheme://host?__extra__=single+value"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("single");
        assertThatThrownBy(() -> uri("scheme://host?__extra__=%5B1%5D"))
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void postgresqlAndDashesAreNormalizedAndCredentialsDecoded()
    {
        Connection connection = uri("postgresql://us%40er:p%40ss%2Fw:rd@MyHost.Example.COM:5432/my%20db");
        assertThat(connection.connType()).isEqualTo("postgres");
        assertThat(connection.login()).contains("us@er");
        assertThat(connection.password()).contains("p@ss/w:rd");
        assertThat(connection.host()).contains("myhost.example.com");
        assertThat(connection.port()).contains(5432);
        assertThat(connection.schema()).contains("my db");

        assertThat(uri("google-cloud-platform://?key_path=%2Fkeys%2Fkey.json&scope=a+b").connType()).isEqualTo("google_cloud_platform");
        assertThat(uri("Type://Host").connType()).isEqualTo("type");
        assertThat(uri("Type://Host").host()).contains("host");
    }

    @Test
    void plusInUserInfoIsNotASpace()
    {
        Connection connection = uri("aws://AKIA:se%2Bcr%2Fet+x@");
        assertThat(connection.login()).contains("AKIA");
        assertThat(connection.password()).contains("se+cr/et+x");
        assertThat(connection.host()).isEmpty();
    }

    @Test
    void userInfoEndsAtLastAt()
    {
        Connection connection = uri("s3://user:p@ss@host");
        assertThat(connection.login()).contains("user");
        assertThat(connection.password()).contains("p@ss");
        assertThat(connection.host()).contains("host");
    }

    @Test
    void unencodedSchemeInQueryCountsAsHostProtocolButStillParses()
    {
        // Airflow counts every "://", so this is the host-with-protocol path; the host is empty either way.
        Connection connection = uri("aws://?endpoint_url=http://minio:9000&region_name=us-east-1");
        assertThat(connection.host()).isEmpty();
        assertThat(connection.extra()).containsExactly(Map.entry("endpoint_url", "http://minio:9000"), Map.entry("region_name", "us-east-1"));
    }

    @Test
    void duplicateQueryKeysKeepFirstPositionAndLastValue()
    {
        assertThat(uri("type://host?a=1&b&a=2").extra()).containsExactly(Map.entry("a", "2"), Map.entry("b", ""));
    }

    @Test
    void malformedPercentEscapesStayAndInvalidUtf8BecomesReplacement()
    {
        assertThat(uri("type://user:pa%zzss@host").password()).contains("pa%zzss");
        assertThat(uri("type://host?x=%C3%A9&y=%FF").extra()).containsExactly(Map.entry("x", "é"), Map.entry("y", "\uFFFD"));
    }

    @Test
    void ipv6HostAndFragment()
    {
        Connection connection = uri("type://[::1]:5432/db");
        assertThat(connection.host()).contains("::1");
        assertThat(connection.port()).contains(5432);
        assertThat(connection.schema()).contains("db");
        assertThat(uri("type://host/?#frag").schema()).isEmpty();
        assertThatThrownBy(() -> uri("type://[::1:5432/db")).hasMessageContaining("IPv6");
    }

    @Test
    void emptyLoginOrPasswordIsAbsent()
    {
        assertThat(uri("type://:pw@host").login()).isEmpty();
        assertThat(uri("type://:pw@host").password()).contains("pw");
        assertThat(uri("type://user:@host").password()).isEmpty();
    }

    @Test
    void badPortNamesVariableButNotTheText()
    {
        assertThatThrownBy(() -> uri("type://user:pass@host:99999"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("out of range");
        // An unencoded '/' in a password ends the netloc early and the rest of the password lands in the port.
        assertThatThrownBy(() -> uri("postgres://user:s3cr/et@host"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not an integer")
                .hasMessageNotContaining("s3cr");
        assertThat(uri("type://host:0000000080").port()).contains(80);
    }

    @Test
    void notAUri()
    {
        assertThatThrownBy(() -> uri("just-a-host:1234"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("neither JSON nor a URI")
                .hasMessageNotContaining("just-a-host");
        assertThatThrownBy(() -> uri("   ")).hasMessageContaining("empty");
    }

    @Test
    void surroundingWhitespaceIsIgnored()
    {
        assertThat(uri("  \n type://host:1 \t").host()).contains("host");
        assertThat(uri("\n  {\"conn_type\": \"aws\"}  ").connType()).isEqualTo("aws");
    }

    @Test
    void jsonFormFromIssue49154()
    {
        Connection connection = uri("{\"conn_type\":\"aws\",\"extra\":{\"region_name\":\"us-east-2\",\"aws_access_key_id\":\"AKIA\","
                + "\"aws_secret_access_key\":\"wJalr\"}}");
        assertThat(connection.connType()).isEqualTo("aws");
        assertThat(connection.extraString("region_name")).contains("us-east-2");
        assertThat(connection.extraString("aws_secret_access_key")).contains("wJalr");
        assertThat(connection.host()).isEmpty();
    }

    @Test
    void jsonFormAllFields()
    {
        Connection connection = uri("{\"conn_type\": \"postgresql\", \"host\": \"db\", \"login\": \"u\", \"password\": \"p\","
                + " \"schema\": \"airflow\", \"port\": \"5432\", \"description\": \"main db\"}");
        assertThat(connection.connType()).isEqualTo("postgres");
        assertThat(connection.host()).contains("db");
        assertThat(connection.login()).contains("u");
        assertThat(connection.password()).contains("p");
        assertThat(connection.schema()).contains("airflow");
        assertThat(connection.port()).contains(5432);
    }

    @Test
    void jsonExtraAsStringAndNested()
    {
        Connection fromString = uri("{\"conn_type\": \"aws\", \"extra\": \"{\\\"config_kwargs\\\": {\\\"retries\\\": {\\\"max_attempts\\\": 3}}}\"}");
        assertThat(fromString.extra()).isEqualTo(Map.of("config_kwargs", Map.of("retries", Map.of("max_attempts", 3))));
        Connection nested = uri("{\"conn_type\": \"aws\", \"extra\": {\"config_kwargs\": {\"signature_version\": \"s3v4\"}, \"verify\": false}}");
        assertThat(nested.extra().get("verify")).isEqualTo(false);
        assertThat(nested.extraString("verify")).contains("false");
        assertThat(nested.extraString("config_kwargs")).contains("{\"signature_version\":\"s3v4\"}");
    }

    @Test
    void jsonNullExtrasDoNotCrash()
    {
        Connection connection = uri("{\"conn_type\": \"aws\", \"host\": null, \"extra\": {\"region_name\": null, \"endpoint_url\": \"http://x\"}}");
        assertThat(connection.extra()).containsEntry("region_name", null);
        assertThat(connection.extraString("region_name")).isEmpty();
        assertThat(connection.extraString("endpoint_url")).contains("http://x");
        assertThat(connection.host()).isEmpty();
    }

    @Test
    void extraIsDeeplyUnmodifiable()
    {
        Connection connection = uri("{\"conn_type\": \"aws\", \"extra\": {\"a\": {\"b\": [1]}}}");
        assertThatThrownBy(() -> connection.extra().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) connection.extra().get("a");
        assertThatThrownBy(() -> inner.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullValuesInAHandBuiltExtraAreAccepted()
    {
        Map<String, Object> extra = new HashMap<>();
        extra.put("a", null);
        Connection connection = new Connection("c", "aws", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), extra);
        assertThat(connection.extra()).containsKey("a");
    }

    @Test
    void jsonFalsyExtrasMeanNoExtra()
    {
        for (String extra : List.of("null", "\"\"", "{}", "[]", "0", "false")) {
            assertThat(uri("{\"conn_type\": \"aws\", \"extra\": " + extra + "}").extra()).as(extra).isEmpty();
        }
    }

    @Test
    void jsonNonObjectExtrasAreRejected()
    {
        for (String extra : List.of("[1]", "5", "true", "\"[1]\"", "\"not json\"")) {
            assertThatThrownBy(() -> uri("{\"conn_type\": \"aws\", \"extra\": " + extra + "}"))
                    .as(extra)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(SOURCE);
        }
    }

    @Test
    void jsonPortFollowsPythonInt()
    {
        assertThat(uri("{\"conn_type\": \"x\", \"port\": 5432}").port()).contains(5432);
        assertThat(uri("{\"conn_type\": \"x\", \"port\": \" 5432 \"}").port()).contains(5432);
        assertThat(uri("{\"conn_type\": \"x\", \"port\": 54.9}").port()).contains(54);
        assertThat(uri("{\"conn_type\": \"x\", \"port\": 0}").port()).isEmpty();
        assertThat(uri("{\"conn_type\": \"x\", \"port\": \"\"}").port()).isEmpty();
        assertThatThrownBy(() -> uri("{\"conn_type\": \"x\", \"port\": 18446744073709551696}")).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> uri("{\"conn_type\": \"x\", \"port\": \"54.9\"}")).hasMessageContaining("port that is not an integer");
        assertThatThrownBy(() -> uri("{\"conn_type\": \"x\", \"port\": \"abc\"}")).hasMessageContaining("port that is not an integer");
    }

    @Test
    void jsonWithoutConnTypeIsAllowed()
    {
        assertThat(uri("{\"host\": \"h\"}").connType()).isEmpty();
    }

    @Test
    void jsonErrorsNameVariableNotValue()
    {
        assertThatThrownBy(() -> uri("{\"conn_type\": \"aws\", \"password\": \"hunter2\""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SOURCE)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> uri("{\"conn_type\": \"aws\", \"passwrd\": \"hunter2\"}"))
                .hasMessageContaining("unknown fields [passwrd]")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> uri("{\"conn_type\": \"aws\"} trailing"))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void toStringNeverShowsPasswordOrExtraValues()
    {
        Connection fromUri = uri("postgres://admin:hunter2@db:5432/airflow?sslmode=verify-full&sslpassword=topsecret");
        Connection fromJson = uri("{\"conn_type\": \"aws\", \"login\": \"AKIA\", \"password\": \"wJalrXUtnFEMI\","
                + " \"extra\": {\"aws_secret_access_key\": \"k3y\", \"nested\": {\"token\": \"t0ken\"}}}");
        assertThat(fromUri.toString())
                .contains("admin", "db", "sslmode", "sslpassword", "****")
                .doesNotContain("hunter2", "verify-full", "topsecret");
        assertThat(fromJson.toString())
                .contains("aws_secret_access_key", "nested")
                .doesNotContain("wJalrXUtnFEMI", "k3y", "t0ken");
    }

    @Test
    void passwordNeverInAnyErrorMessage()
    {
        for (String value : Arrays.asList(
                "postgres://user:hunter2@host:notaport",
                "postgres://user:hunter2@host:99999999",
                "postgres://user:hunter2@[host/db",
                "a://user:hunter2@b://c://d",
                "t://user:hunter2@p://host",
                "t://user:hunter2@host?__extra__=hunter2",
                "{\"password\": \"hunter2\", \"port\": \"hunter2\"}",
                "{\"password\": \"hunter2\", \"extra\": \"hunter2\"}",
                "{\"password\": \"hunter2\"")) {
            assertThatThrownBy(() -> uri(value))
                    .as(value)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(SOURCE)
                    .satisfies(e -> assertThat(e.getMessage()).as(value).doesNotContain("hunter2"));
        }
    }
}
