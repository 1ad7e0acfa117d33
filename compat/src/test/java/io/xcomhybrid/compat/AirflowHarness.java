package io.xcomhybrid.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A running {@code compat/python/xcom_harness.py} inside one Airflow virtualenv: Airflow's own
 * {@code XComObjectStorageBackend} driven over JSON lines (one request, one response). Its stderr goes to a log
 * file under {@code target/}, named in every failure.
 */
final class AirflowHarness
        implements Closeable
{
    static final String BACKEND = "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AirflowVersion version;
    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader responses;
    private final Path log;
    private final JsonNode info;
    private List<PythonValue> values;

    enum AirflowVersion
    {
        AIRFLOW2("XCOM_TEST_AIRFLOW2_PYTHON"),
        AIRFLOW3("XCOM_TEST_AIRFLOW3_PYTHON");

        private final String pythonVariable;

        AirflowVersion(String pythonVariable)
        {
            this.pythonVariable = pythonVariable;
        }

        String pythonVariable()
        {
            return pythonVariable;
        }
    }

    /** A value generated natively by Python, with the exact bytes Airflow's XComEncoder wrote for it. */
    record PythonValue(int id, String family, String name, String encoded, String serde, int size) {}

    private AirflowHarness(AirflowVersion version, Process process, Path log)
            throws IOException
    {
        this.version = version;
        this.process = process;
        this.log = log;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.responses = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = responses.readLine();
        if (first == null) {
            throw new IOException(version + " harness exited before it was ready; see " + log + ":\n" + tail(log));
        }
        this.info = MAPPER.readTree(first);
        if (!info.path("ready").asBoolean()) {
            throw new IOException(version + " harness did not start: " + first + "; see " + log);
        }
    }

    /**
     * Starts the harness in the venv named by the version's {@code XCOM_TEST_AIRFLOW*_PYTHON} variable.
     *
     * @param environment extra variables ({@code AIRFLOW_CONN_*} and the like)
     */
    static AirflowHarness start(AirflowVersion version, Path workDir, Map<String, String> environment)
            throws IOException
    {
        Path python = Path.of(AirflowVenvs.python(version));
        Path home = Files.createDirectories(workDir.resolve("airflow-home-" + version.name().toLowerCase()));
        Path log = workDir.resolve("harness-" + version.name().toLowerCase() + ".log");
        ProcessBuilder builder = new ProcessBuilder(python.toString(), CompatPaths.moduleDir().resolve("python/xcom_harness.py").toString(), "serve");
        Map<String, String> env = builder.environment();
        // A clean Airflow environment: nothing from the caller's AIRFLOW__* settings leaks into the run.
        env.keySet().removeIf(name -> name.startsWith("AIRFLOW") || name.startsWith("AWS_"));
        env.put("AIRFLOW_HOME", home.toString());
        env.put("AIRFLOW__CORE__XCOM_BACKEND", BACKEND);
        env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        // The opaque dataclass envelopes name classes of the test module; Airflow only imports allow-listed classes.
        env.put("AIRFLOW__CORE__ALLOWED_DESERIALIZATION_CLASSES", "airflow.* xcom_values.*");
        env.put("TZ", "UTC");
        env.put("PYTHONHASHSEED", "0");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
        Process process = builder.start();
        try {
            return new AirflowHarness(version, process, log);
        }
        catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    AirflowVersion version()
    {
        return version;
    }

    JsonNode info()
    {
        return info;
    }

    String describe()
    {
        return "apache-airflow " + info.path("airflow").asText() + " (common-io " + info.path("common_io").asText()
                + ", fsspec " + info.path("fsspec").asText() + ", s3fs " + info.path("s3fs").asText()
                + ", universal-pathlib " + info.path("universal_pathlib").asText() + ", Python " + info.path("python").asText() + ")";
    }

    synchronized List<PythonValue> values()
    {
        if (values != null) {
            return values;
        }
        JsonNode response = call(request("values"));
        List<PythonValue> values = new ArrayList<>();
        for (JsonNode v : response.get("values")) {
            values.add(new PythonValue(v.get("id").asInt(), v.get("family").asText(), v.get("name").asText(),
                    v.get("encoded").asText(), v.get("serde").asText(), v.get("size").asInt()));
        }
        this.values = List.copyOf(values);
        return this.values;
    }

    JsonNode skipped()
    {
        return call(request("values")).get("skipped");
    }

    /** Sets the {@code AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_*} variables in the harness process. */
    void configure(String path, long threshold, String compression)
    {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", path);
        env.put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", Long.toString(threshold));
        env.put("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION", compression);
        ObjectNode request = request("configure");
        request.set("env", MAPPER.valueToTree(env));
        call(request);
    }

    /** Python's {@code serialize_value}; the response holds stored, placement, reference, object_b64. */
    JsonNode serialize(int id, Map<String, Object> key)
    {
        ObjectNode request = request("serialize");
        request.put("id", id);
        request.set("key", MAPPER.valueToTree(key));
        return call(request);
    }

    /** Python's {@code deserialize_value} of a row holding {@code stored}, compared with Python's own round trip. */
    JsonNode deserialize(int id, String stored, Map<String, Object> key)
    {
        ObjectNode request = request("deserialize");
        request.put("id", id);
        request.put("stored", stored);
        request.set("key", MAPPER.valueToTree(key));
        return call(request);
    }

    void purge(String stored)
    {
        ObjectNode request = request("purge");
        request.put("stored", stored);
        call(request);
    }

    /** Test setup: creates the bucket of an {@code s3://} path through the path's own connection. */
    void mkbucket(String path)
    {
        ObjectNode request = request("mkbucket");
        request.put("path", path);
        call(request);
    }

    /** Whether Airflow's read of {@code stored} equals the value {@code candidate} holds (mode "text" or "row"). */
    JsonNode compareRead(String stored, String candidate, String mode)
    {
        ObjectNode request = request("compare_read");
        request.put("stored", stored);
        request.put("candidate", candidate);
        request.put("mode", mode);
        return call(request);
    }

    /** What Airflow's deserialize_value returns for a row holding {@code stored}: type and XComEncoder text. */
    JsonNode load(String stored)
    {
        ObjectNode request = request("load");
        request.put("stored", stored);
        return call(request);
    }

    /** Test setup: raw bytes at any path through fsspec. */
    void writeFile(String path, byte[] data)
    {
        ObjectNode request = request("write_file");
        request.put("path", path);
        request.put("data_b64", Base64.getEncoder().encodeToString(data));
        call(request);
    }

    boolean exists(String path)
    {
        ObjectNode request = request("exists");
        request.put("path", path);
        return call(request).get("exists").asBoolean();
    }

    byte[] read(String path)
    {
        ObjectNode request = request("read");
        request.put("path", path);
        return Base64.getDecoder().decode(call(request).get("data_b64").asText());
    }

    /** Sends a request; a Python-side exception comes back as a {@link HarnessException} with its message. */
    JsonNode call(ObjectNode request)
    {
        try {
            requests.write(MAPPER.writeValueAsString(request));
            requests.write('\n');
            requests.flush();
            String line = responses.readLine();
            if (line == null) {
                throw new IOException(version + " harness exited (" + exitDescription() + "); see " + log + ":\n" + tail(log));
            }
            JsonNode response = MAPPER.readTree(line);
            if (!response.path("ok").asBoolean()) {
                throw new HarnessException(version + " " + request.get("op").asText() + ": " + response.path("error").asText(),
                        response.path("trace").asText());
            }
            return response;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode request(String op)
    {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("op", op);
        return node;
    }

    private String exitDescription()
    {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return "exit code " + process.exitValue();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "still running";
    }

    static String tail(Path file)
    {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static Map<String, Object> key(String dagId, String runId, String taskId, String key)
    {
        Map<String, Object> map = new HashMap<>();
        map.put("dag_id", requireNonNull(dagId));
        map.put("run_id", requireNonNull(runId));
        map.put("task_id", requireNonNull(taskId));
        map.put("key", requireNonNull(key));
        map.put("map_index", -1);
        return map;
    }

    @Override
    public void close()
    {
        PythonProcesses.stop(process, requests);
    }

    static final class HarnessException
            extends RuntimeException
    {
        private final String pythonTrace;

        HarnessException(String message, String pythonTrace)
        {
            super(message);
            this.pythonTrace = pythonTrace;
        }

        String pythonTrace()
        {
            return pythonTrace;
        }
    }
}
