package io.xcomhybrid.metadata;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which table layout the metadata store reads and writes ({@code [xcom_hybrid] schema_mode}). */
public enum SchemaMode
{
    /**
     * Our own table ({@code dag_id, run_id, task_id, map_index, key, value, timestamp}, keyed by the XCom identity),
     * created and migrated by xcom-hybrid, with its version recorded in {@code xcom_hybrid_schema}.
     */
    STANDALONE,
    /**
     * The {@code xcom} table of an Airflow 2.9 to 2.11 metadata database, written exactly as Airflow's
     * {@code BaseXCom.set} writes it. The DAG run and task instance rows must exist.
     */
    AIRFLOW2,
    /**
     * The {@code xcom} table of an Airflow 3 metadata database (JSONB values), read only: Airflow 3 tasks write
     * XComs through the Task Execution API, never the database.
     */
    AIRFLOW3;

    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SchemaMode> fromConfigName(String name)
    {
        String normalized = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(mode -> mode.configName().equals(normalized)).findFirst();
    }
}
