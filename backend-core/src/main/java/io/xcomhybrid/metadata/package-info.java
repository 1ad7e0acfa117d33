/**
 * The XCom table: {@link io.xcomhybrid.metadata.MetadataStore} and its SQLite and PostgreSQL implementations,
 * created from Airflow configuration by {@link io.xcomhybrid.metadata.MetadataStores}.
 *
 * <h2>Configuration</h2>
 * <pre>
 * [database]
 * sql_alchemy_conn = postgresql+psycopg2://user:pass@host:5432/airflow?sslmode=verify-full&amp;sslrootcert=/ca.pem
 * sql_alchemy_schema =                 # PostgreSQL schema of the tables (Airflow's own key); default: search path
 *
 * [xcom_hybrid]
 * sql_alchemy_conn =                   # a database of its own for XComs; default: [database] sql_alchemy_conn
 * schema_mode = standalone             # standalone | airflow2 | airflow3 (read only)
 * metadata_table = xcom                # standalone only
 * metadata_pool_size = 4               # connections per process
 * metadata_connection_timeout = 30s    # wait for a connection before an operation fails
 * metadata_busy_timeout = 30s          # SQLite: wait for another writer's lock
 * </pre>
 * Every key may be given as {@code AIRFLOW__XCOM_HYBRID__<KEY>}. See {@link io.xcomhybrid.metadata.MetadataStoreConfig}
 * and {@link io.xcomhybrid.metadata.DatabaseUrl} for the accepted URLs.
 *
 * <h2>Layouts</h2>
 * <ul>
 *   <li>{@code standalone}: a table of our own keyed by the XCom identity, created on first use and migrated with
 *       versioned migrations; its version lives in {@code xcom_hybrid_schema}. A version newer than the code knows
 *       stops every operation.</li>
 *   <li>{@code airflow2}: Airflow 2's {@code xcom} table, written as {@code BaseXCom.set} writes it; the DAG run and
 *       task instance must exist.</li>
 *   <li>{@code airflow3}: Airflow 3's {@code xcom} table, read only (values are returned as their JSON text).</li>
 * </ul>
 *
 * <h2>Concurrency</h2>
 * Each operation is one transaction. On PostgreSQL, writers of one XCom serialize on a transaction advisory lock,
 * bulk deletes lock their rows in identity order, and serialization failures and deadlocks are retried a bounded
 * number of times; a row that a writer taking no lock (Airflow itself) inserts between our delete and insert is
 * deleted in turn and returned, not reported as a failure. On SQLite,
 * writers serialize on the database lock ({@code BEGIN IMMEDIATE}) with a busy timeout; the file must be on a local
 * filesystem.
 */
package io.xcomhybrid.metadata;
