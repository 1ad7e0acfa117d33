/**
 * Airflow-compatible configuration: {@code airflow.cfg} read with the rules of Python's {@code configparser} as
 * Airflow sets it up ({@link io.xcomhybrid.config.IniFile}), {@code AIRFLOW__{SECTION}__{KEY}} overrides with their
 * {@code _CMD} and {@code _SECRET} forms, and {@code AIRFLOW_CONN_*} connections in URI and JSON form
 * ({@link io.xcomhybrid.config.Connections}).
 * <p>
 * Where this package knowingly differs from Airflow:
 * <ul>
 * <li>Airflow's built-in defaults and deprecated-option renames are not applied; callers pass their own defaults.</li>
 * <li>{@code _SECRET} settings cannot be read (that needs Airflow's secrets backend classes): with a configured
 * {@code [secrets] backend} looking one up is an error that says so; without one it is skipped, as in Airflow.</li>
 * <li>{@code _cmd} commands get a 60 second limit and 1 MiB of output; their errors never show the command line or
 * its output.</li>
 * <li>A connection URI whose type is empty or not a valid URL scheme ({@code ://host}, {@code 1x://host}) is an
 * error; Airflow would build a connection with an empty type. Query parameters stay strings, as in the Airflow 3
 * task SDK (Airflow 2 JSON-decodes each one).</li>
 * <li>{@code ~user} is not expanded in values; {@code ~} and {@code ~/...} are.</li>
 * </ul>
 */
package io.xcomhybrid.config;
