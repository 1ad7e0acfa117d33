package io.xcomhybrid.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The command end to end, each call a separate JVM, on the embedded default (SQLite + local files). */
class TestXComCli
{
    @TempDir
    Path work;

    private CliProcess xcom;

    @BeforeEach
    void setUp()
    {
        xcom = new CliProcess(work);
    }

    private static String[] id(String task, String... more)
    {
        String[] base = {"-d", "etl", "-r", "manual__2024-01-01T00:00:00+00:00", "-t", task};
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    private static String[] cmd(String command, String[] identity, String... more)
    {
        return Stream.of(new String[] {command}, identity, more).flatMap(Stream::of).toArray(String[]::new);
    }

    @Test
    void smallAndLargeValuesRoundTripOnTheEmbeddedDefault()
            throws Exception
    {
        CliProcess.Result small = xcom.run(cmd("push", id("small"), "--json", "{\"a\":1,\"b\":[true,null,\"caf\u00e9\"]}"));
        assertThat(small.exitCode()).as(small.toString()).isZero();
        assertThat(small.stdout().strip()).isEqualTo("database 40");

        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 150_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"row ").append(i).append("\"}");
        }
        json.append("]");
        Path input = work.resolve("large.json");
        Files.writeString(input, json);
        CliProcess.Result large = xcom.run(cmd("push", id("large"), "--file", input.toString()));
        assertThat(large.exitCode()).as(large.toString()).isZero();
        String objectsBase = "file://" + work.resolve("xcom-data/objects");
        assertThat(large.stdout().strip()).startsWith("object " + objectsBase + "/etl/manual__2024-01-01T00:00:00+00:00/large/").endsWith(".gz");

        CliProcess.Result pulledSmall = xcom.run(cmd("pull", id("small")));
        assertThat(pulledSmall.exitCode()).as(pulledSmall.toString()).isZero();
        assertThat(pulledSmall.stdout()).isEqualTo("{\"a\": 1, \"b\": [true, null, \"caf\\u00e9\"]}");

        Path output = work.resolve("out.json");
        CliProcess.Result pulledLarge = xcom.run(cmd("pull", id("large"), "-o", output.toString()));
        assertThat(pulledLarge.exitCode()).as(pulledLarge.toString()).isZero();
        assertThat(Files.readString(output, UTF_8)).isEqualTo(json.toString().replace(",", ", ").replace(":", ": "));

        CliProcess.Result list = xcom.run("list", "-d", "etl");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout().lines().filter(line -> line.startsWith("etl\t"))).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("\tlarge\t").contains("\tobject\t").contains(objectsBase))
                .anySatisfy(line -> assertThat(line).contains("\tsmall\t").contains("\tdatabase\t40\t"));

        CliProcess.Result listJson = xcom.run("list", "--json");
        assertThat(listJson.stdout()).contains("\"reference\" : \"" + objectsBase).contains("\"where\" : \"database\"");

        CliProcess.Result show = xcom.run(cmd("show", id("large")));
        assertThat(show.stdout()).contains("where:        object").contains("reference:    " + objectsBase);

        CliProcess.Result clear = xcom.run("clear", "-d", "etl", "-r", "manual__2024-01-01T00:00:00+00:00");
        assertThat(clear.stdout().strip()).isEqualTo("cleared 2");
        try (Stream<Path> files = Files.walk(work.resolve("xcom-data/objects"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(xcom.run(cmd("pull", id("small"))).exitCode()).isEqualTo(1);
    }

    @Test
    void stdinPushAndDelete()
            throws Exception
    {
        Path input = work.resolve("in.json");
        Files.writeString(input, "  {\"x\" : 1.5e3}\n");
        CliProcess.Result push = xcom.run(input, cmd("push", id("t", "-k", "custom"), "--stdin"));
        assertThat(push.exitCode()).as(push.toString()).isZero();
        assertThat(xcom.run(cmd("pull", id("t", "-k", "custom"))).stdout()).isEqualTo("{\"x\": 1500.0}");
        CliProcess.Result delete = xcom.run(cmd("delete", id("t", "-k", "custom")));
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        CliProcess.Result again = xcom.run(cmd("delete", id("t", "-k", "custom")));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("No such XCom").contains("key=custom");
    }

    @Test
    void exitCodesAndMessages()
            throws Exception
    {
        CliProcess.Result missing = xcom.run(cmd("pull", id("nothing")));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("No such XCom").contains("task_id=nothing");

        CliProcess.Result usage = xcom.run("push", "-d", "x");
        assertThat(usage.exitCode()).isEqualTo(2);

        CliProcess.Result invalidJson = xcom.run(cmd("push", id("bad"), "--json", "{oops"));
        assertThat(invalidJson.exitCode()).as(invalidJson.toString()).isEqualTo(2);
        assertThat(invalidJson.stderr()).contains("Invalid value");

        Path badFile = work.resolve("bad.json");
        Files.writeString(badFile, "[1, 2,");
        CliProcess.Result invalidFile = xcom.run(cmd("push", id("bad"), "--file", badFile.toString()));
        assertThat(invalidFile.exitCode()).as(invalidFile.toString()).isEqualTo(2);

        CliProcess.Result missingFile = xcom.run(cmd("push", id("bad"), "--file", work.resolve("nope.json").toString()));
        assertThat(missingFile.exitCode()).as(missingFile.toString()).isEqualTo(2);
        assertThat(missingFile.stderr()).contains("nope.json");

        CliProcess.Result badCompression = xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION", "gz")
                .run(cmd("push", id("x"), "--json", "1"));
        assertThat(badCompression.exitCode()).isEqualTo(2);
        assertThat(badCompression.stderr()).contains("[common.io] xcom_objectstorage_compression")
                .contains("env AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION");
    }

    @Test
    void configFileErrorsNameFileAndLine()
            throws Exception
    {
        Path config = work.resolve("broken.cfg");
        Files.writeString(config, "[core]\nxcom_backend = airflow.providers.common.io.xcom.backend.XComObjectStorageBackend\n[common.io]\nxcom_objectstorage_threshold = lots\nxcom_objectstorage_path = file:///tmp/x\n");
        CliProcess.Result result = xcom.run("--config", config.toString(), "push", "-d", "a", "-r", "b", "-t", "c", "--json", "1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.stderr()).contains(config + ":4").contains("xcom_objectstorage_threshold");
    }

    @Test
    void storageErrorsExitWithThree()
            throws Exception
    {
        Path blocker = work.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        CliProcess.Result result = xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "file://" + blocker + "/objects")
                .env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "0")
                .run(cmd("push", id("x"), "--json", "1"));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stderr()).contains(blocker.toString()).contains("task_id=x");
    }

    @Test
    void gcAndDoctor()
            throws Exception
    {
        assertThat(xcom.env("AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "0").run(cmd("push", id("a"), "--json", "1")).exitCode()).isZero();
        Path orphan = work.resolve("xcom-data/objects/etl/run/task/0b7c26f7-b01a-4eed-b9c2-ea2806615743.gz");
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "x");
        Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(0));

        CliProcess.Result dryRun = xcom.run("gc", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout()).contains("would delete file://" + orphan);
        assertThat(Files.exists(orphan)).isTrue();
        CliProcess.Result gc = xcom.run("gc", "--older-than", "1d");
        assertThat(gc.stdout()).contains("deleted file://" + orphan).contains("scanned 2 objects");
        assertThat(Files.exists(orphan)).isFalse();
        assertThat(xcom.run(cmd("pull", id("a"))).stdout()).isEqualTo("1");

        CliProcess.Result doctor = xcom.env("AIRFLOW__SMTP__SMTP_PASSWORD", "hunter2").run("doctor");
        assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
        assertThat(doctor.stdout())
                .contains("backend: airflow.providers.common.io.xcom.backend.XComObjectStorageBackend")
                .contains("[common.io] xcom_objectstorage_threshold = 0    (env AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD)")
                .contains("all checks passed")
                .doesNotContain("hunter2");
    }

    @Test
    void localExampleConfigWorksAsItIs()
            throws Exception
    {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("config-examples/local.cfg");
        assertThat(example).exists();
        CliProcess.Result push = xcom.run("--config", example.toString(), "push", "-d", "d", "-r", "r", "-t", "t", "--json", "[1, 2]");
        assertThat(push.exitCode()).as(push.toString()).isZero();
        assertThat(push.stdout().strip()).isEqualTo("database 6");
        assertThat(work.resolve("xcom-data/xcom.db")).exists();
        CliProcess.Result doctor = xcom.run("--config", example.toString(), "doctor");
        assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
        assertThat(doctor.stdout()).contains("object store file://" + work.resolve("xcom-data/objects"));
    }

    @Test
    void valueLargerThanTheHeapStreamsBothWays()
            throws Exception
    {
        // 200 MiB of JSON through a JVM capped at 64 MiB of heap: push from a file and pull to a file must stream
        Path input = work.resolve("big.json");
        long target = 200L * 1024 * 1024;
        try (java.io.Writer writer = Files.newBufferedWriter(input, UTF_8)) {
            writer.write('[');
            long written = 1;
            for (int i = 0; written < target; i++) {
                String item = (i == 0 ? "" : ", ") + "{\"id\": " + i + ", \"payload\": \"" + Integer.toHexString(i * 31) + "-abcdefghijklmnopqrstuvwxyz\"}";
                writer.write(item);
                written += item.length();
            }
            writer.write(']');
        }
        CliProcess.Result push = xcom.jvm("-Xmx64m").run(cmd("push", id("big"), "--file", input.toString()));
        assertThat(push.exitCode()).as(push.toString()).isZero();
        assertThat(push.stdout()).startsWith("object ");
        Path output = work.resolve("big.out.json");
        CliProcess.Result pull = xcom.run(cmd("pull", id("big"), "-o", output.toString()));
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        assertThat(Files.size(output)).isEqualTo(Files.size(input));
        assertThat(Files.mismatch(input, output)).isEqualTo(-1);
    }
}
