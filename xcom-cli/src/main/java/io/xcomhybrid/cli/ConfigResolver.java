package io.xcomhybrid.cli;

import io.xcomhybrid.config.AirflowConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the configuration the way the README documents: {@code --config FILE}, else {@code $XCOM_CONFIG}, else
 * {@code $AIRFLOW_HOME/airflow.cfg} if it exists, else the embedded default (SQLite and local files under
 * {@code ./xcom-data}); {@code AIRFLOW__*} variables always apply on top.
 */
final class ConfigResolver
{
    static final long DEFAULT_THRESHOLD = 1024 * 1024;

    private ConfigResolver() {}

    record Resolved(AirflowConfig config, String origin) {}

    static Resolved resolve(Optional<Path> option, Map<String, String> environment, Path workingDirectory)
    {
        if (option.isPresent()) {
            return new Resolved(AirflowConfig.load(option, environment), "--config " + option.get());
        }
        String fromEnvironment = environment.get("XCOM_CONFIG");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            Path file = Path.of(fromEnvironment);
            return new Resolved(AirflowConfig.load(Optional.of(file), environment), "$XCOM_CONFIG " + file);
        }
        String airflowHome = environment.get("AIRFLOW_HOME");
        if (airflowHome != null && !airflowHome.isBlank()) {
            Path file = Path.of(airflowHome, "airflow.cfg");
            if (Files.isRegularFile(file)) {
                return new Resolved(AirflowConfig.load(Optional.of(file), environment), "$AIRFLOW_HOME/airflow.cfg " + file);
            }
        }
        return new Resolved(AirflowConfig.of(embeddedDefault(workingDirectory), environment), "embedded default (" + workingDirectory.resolve("xcom-data") + ")");
    }

    /** SQLite at {@code ./xcom-data/xcom.db}, objects under {@code ./xcom-data/objects}, 1 MiB threshold, gzip. */
    static Map<String, Map<String, String>> embeddedDefault(Path workingDirectory)
    {
        Path data = workingDirectory.toAbsolutePath().normalize().resolve("xcom-data");
        return Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + data.resolve("xcom.db")),
                "common.io", Map.of(
                        "xcom_objectstorage_path", "file://" + data.resolve("objects"),
                        "xcom_objectstorage_threshold", Long.toString(DEFAULT_THRESHOLD),
                        "xcom_objectstorage_compression", "gzip"));
    }
}
