package io.xcomhybrid.json;

/**
 * What Airflow stores in the {@code xcom.value} column for a value kept in the database.
 *
 * <p>Both forms use Python's {@code json.dumps} text conventions (separators, escapes, float repr). They differ in how
 * the value is turned into JSON:
 * <table>
 * <caption>Differences between the database forms</caption>
 * <tr><th>value</th><th>{@link #AIRFLOW2_BYTES} (and every object-storage payload)</th><th>{@link #AIRFLOW3_SERDE}</th></tr>
 * <tr><td>tuple nested in a list or dict</td><td>plain array</td><td>{@code builtins.tuple} envelope</td></tr>
 * <tr><td>dict key {@code True}/{@code False}/{@code None}</td><td>{@code "true"}/{@code "false"}/{@code "null"}</td>
 *     <td>{@code "True"}/{@code "False"}/{@code "None"} ({@code str(key)})</td></tr>
 * <tr><td>float dict key NaN/inf/-inf</td><td>{@code "NaN"}/{@code "Infinity"}/{@code "-Infinity"}</td><td>{@code "nan"}/{@code "inf"}/{@code "-inf"}</td></tr>
 * <tr><td>two keys equal after conversion ({@code 1} and {@code "1"})</td><td>both written (duplicate key)</td>
 *     <td>one key, first position, last value</td></tr>
 * </table>
 * Inside envelope data (set elements, a top-level tuple's elements) {@code json.dumps(value, cls=XComEncoder)}
 * already uses the serde rules, so the forms only differ outside envelopes. Airflow 3 sends the serde structure
 * through the Execution API; PostgreSQL {@code JSONB} then reorders keys and normalises whitespace, and SQLite or
 * MySQL {@code JSON} columns keep the text SQLAlchemy writes, which is the text written here.
 */
public enum DbForm
{
    /** Airflow 2: the UTF-8 bytes of {@code json.dumps(value, cls=XComEncoder)} in a binary column. */
    AIRFLOW2_BYTES,
    /** Airflow 3: {@code serde.serialize(value)}, stored as native JSON. */
    AIRFLOW3_SERDE,
}
