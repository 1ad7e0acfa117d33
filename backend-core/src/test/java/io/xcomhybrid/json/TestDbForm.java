package io.xcomhybrid.json;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

/** Airflow 2's byte form against Airflow 3's serde structure (spec 1.4 and 4.5). */
class TestDbForm
{
    private final XComJson json = XComJson.standard();

    @Test
    void nestedTuplesGetTheEnvelopeOnlyInTheSerdeForm()
    {
        Object value = List.of(1, PyTuple.of(2, 3));
        assertThat(text(value, DbForm.AIRFLOW2_BYTES)).isEqualTo("[1, [2, 3]]");
        assertThat(text(value, DbForm.AIRFLOW3_SERDE))
                .isEqualTo("[1, {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [2, 3]}]");
    }

    @Test
    void keysAreStrInTheSerdeForm()
    {
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put(true, 1);
        value.put(false, 2);
        value.put(null, 3);
        value.put(1.5, 4);
        value.put(Double.NaN, 5);
        value.put(Double.POSITIVE_INFINITY, 6);
        value.put(Double.NEGATIVE_INFINITY, 7);
        value.put(1e16, 8);
        value.put(7L, 9);
        assertThat(text(value, DbForm.AIRFLOW2_BYTES))
                .isEqualTo("{\"true\": 1, \"false\": 2, \"null\": 3, \"1.5\": 4, \"NaN\": 5, \"Infinity\": 6, \"-Infinity\": 7, \"1e+16\": 8, \"7\": 9}");
        assertThat(text(value, DbForm.AIRFLOW3_SERDE))
                .isEqualTo("{\"True\": 1, \"False\": 2, \"None\": 3, \"1.5\": 4, \"nan\": 5, \"inf\": 6, \"-inf\": 7, \"1e+16\": 8, \"7\": 9}");
    }

    @Test
    void keysEqualAfterStrCollapseInTheSerdeForm()
    {
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put(1, "int");
        value.put("x", "other");
        value.put("1", "str");
        assertThat(text(value, DbForm.AIRFLOW2_BYTES)).isEqualTo("{\"1\": \"int\", \"x\": \"other\", \"1\": \"str\"}");
        assertThat(text(value, DbForm.AIRFLOW3_SERDE)).isEqualTo("{\"1\": \"str\", \"x\": \"other\"}");
    }

    @Test
    void plainValuesAreTheSameInBothForms()
    {
        Object value = Map.of("a", List.of(1, 2.5, "x", Map.of("b", PyTuple.of())));
        assertThat(text(Map.of("a", List.of(1, 2.5)), DbForm.AIRFLOW3_SERDE)).isEqualTo(text(Map.of("a", List.of(1, 2.5)), DbForm.AIRFLOW2_BYTES));
        assertThat(text(value, DbForm.AIRFLOW2_BYTES)).isEqualTo("{\"a\": [1, 2.5, \"x\", {\"b\": []}]}");
        assertThat(text(PyTuple.of(1), DbForm.AIRFLOW3_SERDE)).isEqualTo(text(PyTuple.of(1), DbForm.AIRFLOW2_BYTES));
        // a reference row is the JSON string of the path in both forms
        assertThat(text("s3://aws_default@bucket/xcoms/d/r/t/u.gz", DbForm.AIRFLOW3_SERDE)).isEqualTo("\"s3://aws_default@bucket/xcoms/d/r/t/u.gz\"");
    }

    @Test
    void serdeFormReadsBack()
    {
        Object value = List.of(PyTuple.of(1, 2), Map.of("k", PyTuple.of("a")));
        assertThat(json.read(json.toDbBytes(value, DbForm.AIRFLOW3_SERDE))).isEqualTo(value);
        // the object-storage/Airflow 2 form loses nested tuples, as Python does
        assertThat(json.read(json.toDbBytes(value, DbForm.AIRFLOW2_BYTES))).isEqualTo(List.of(List.of(1, 2), Map.of("k", List.of("a"))));
    }

    @Test
    void streamsTheDbForm()
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeDbForm(List.of(PyTuple.of()), DbForm.AIRFLOW3_SERDE, out);
        assertThat(out.toString(US_ASCII)).isEqualTo("[{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": []}]");
    }

    private String text(Object value, DbForm form)
    {
        return new String(json.toDbBytes(value, form), US_ASCII);
    }
}
