package io.xcomhybrid.compat;

import io.xcomhybrid.compat.AirflowHarness.AirflowVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Python executables of the Airflow virtualenvs: {@code XCOM_TEST_AIRFLOW2_PYTHON} / {@code XCOM_TEST_AIRFLOW3_PYTHON}
 * when set, otherwise whatever {@code setup-venvs.sh} creates (or reuses from the cache). A failing setup fails the
 * test with the script's output; the suite never skips.
 */
final class AirflowVenvs
{
    private static final Map<AirflowVersion, String> FROM_SETUP = new EnumMap<>(AirflowVersion.class);
    private static String setupFailure;

    private AirflowVenvs() {}

    static synchronized String python(AirflowVersion version)
    {
        String fromEnv = System.getenv(version.pythonVariable());
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (!Files.isExecutable(Path.of(fromEnv))) {
                throw new IllegalStateException(version.pythonVariable() + "=" + fromEnv + " is not an executable file");
            }
            return fromEnv;
        }
        if (FROM_SETUP.isEmpty() && setupFailure == null) {
            runSetup();
        }
        if (setupFailure != null) {
            throw new IllegalStateException(version.pythonVariable() + " is not set and setup-venvs.sh failed: " + setupFailure);
        }
        return FROM_SETUP.get(version);
    }

    private static void runSetup()
    {
        Path module = CompatPaths.moduleDir();
        try {
            Path target = Files.createDirectories(CompatPaths.targetDir());
            Path envFile = target.resolve("airflow-venvs.env");
            Path log = target.resolve("setup-venvs.log");
            Process process = new ProcessBuilder("bash", module.resolve("setup-venvs.sh").toString(), "--env-file", envFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                setupFailure = "timed out after 30 minutes; see " + log;
                return;
            }
            if (process.exitValue() != 0) {
                setupFailure = "exit code " + process.exitValue() + "; " + log + ":\n" + AirflowHarness.tail(log);
                return;
            }
            for (String line : Files.readAllLines(envFile, StandardCharsets.UTF_8)) {
                for (AirflowVersion version : AirflowVersion.values()) {
                    String prefix = "export " + version.pythonVariable() + "=";
                    if (line.startsWith(prefix)) {
                        FROM_SETUP.put(version, line.substring(prefix.length()).trim());
                    }
                }
            }
            if (FROM_SETUP.size() != AirflowVersion.values().length) {
                setupFailure = envFile + " lacks an export line: " + Files.readString(envFile);
            }
        }
        catch (IOException e) {
            setupFailure = "cannot run " + module.resolve("setup-venvs.sh") + ": " + e;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            setupFailure = "interrupted";
        }
    }
}
