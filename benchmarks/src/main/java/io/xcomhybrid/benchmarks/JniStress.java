package io.xcomhybrid.benchmarks;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.s3.S3Ceiling;
import io.xcomhybrid.store.Location;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Stress reproduction of JDK 17's "Retried waiting for GCLocker too often" {@link OutOfMemoryError}: codecs that
 * hand heap arrays to native code (JNI critical sections: {@code Inflater}/{@code Deflater}/{@code CRC32} of the JDK,
 * zstd-jni, snappy-java, lz4-java's JNI path) block the GC while they run, and with a tiny heap and several threads
 * allocating at once an allocation that finds the GC locked too often fails. Each codec and direction runs in a child
 * JVM with a small {@code -Xmx}: {@code threads} threads each push (JSON text made on the fly through {@code pushJson})
 * or pull ({@code pullJson} into a counting sink) a value of {@code mib} MiB, {@code rounds} times, to local files.
 * A pull reads values pushed beforehand by a child with a roomy heap. {@code --store s3} writes to the test MinIO
 * ({@code XCOM_TEST_S3_*}, as {@link LargeValues}), whose sink allocates whole parts. Not a timing benchmark: it reports whether
 * each child finished, and how many GCLocker warnings and {@code OutOfMemoryError}s it printed.
 *
 * <pre>java -cp benchmarks.jar io.xcomhybrid.benchmarks.JniStress [--codecs gzip,zstd,lz4,snappy] [--directions push,pull]
 *     [--xmx 48m] [--threads 3] [--mib 64] [--rounds 2] [--compression-threads 0,1] [--repeat 1]
 *     [--store local|s3]</pre>
 */
public final class JniStress
{
    private JniStress() {}

    record Options(List<String> codecs, List<String> directions, String xmx, int threads, double mib, int rounds, List<Integer> compressionThreads, int repeat,
            String store) {}

    public static void main(String[] args)
            throws Exception
    {
        if (args.length > 0 && args[0].equals("child")) {
            child(args);
            return;
        }
        run(args, System.out);
    }

    /** Runs the children the options ask for and prints the table to {@code out}. */
    static void run(String[] args, PrintStream out)
            throws Exception
    {
        List<String> codecs = List.of("gzip", "zstd", "lz4", "snappy");
        List<String> directions = List.of("push", "pull");
        String xmx = "48m";
        int threads = 3;
        double mib = 64;
        int rounds = 2;
        List<Integer> compressionThreads = List.of(0, 1);
        int repeat = 1;
        String store = "local";
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--codecs" -> codecs = List.of(value.split(","));
                case "--directions" -> directions = List.of(value.split(","));
                case "--xmx" -> xmx = value;
                case "--threads" -> threads = Integer.parseInt(value);
                case "--mib" -> mib = Double.parseDouble(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--compression-threads" -> compressionThreads = java.util.Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                case "--repeat" -> repeat = Integer.parseInt(value);
                case "--store" -> store = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new Parent(new Options(codecs, directions, xmx, threads, mib, rounds, compressionThreads, repeat, store), out).run();
    }

    private static final class Parent
    {
        private final Options options;
        private final PrintStream out;
        private final Map<String, String> environment = LargeValues.environment();

        Parent(Options options, PrintStream out)
        {
            this.options = options;
            this.out = out;
        }

        void run()
                throws Exception
        {
            Path work = Files.createTempDirectory("jni-stress");
            Location base = options.store().equals("s3")
                    ? Location.parse("s3://" + LargeValues.CONN_ID + "@" + LargeValues.BUCKET + "/jni-stress")
                    : Location.parse("file://" + work.resolve("objects"));
            out.printf(Locale.ROOT, "# JniStress: %s, -Xmx%s, %d threads, %s MiB each, %d rounds, java %s, %s; work %s%n",
                    base, options.xmx(), options.threads(), options.mib(), options.rounds(), System.getProperty("java.version"),
                    ProcessHandle.current().info().command().orElse("java"), work);
            out.println();
            out.println("| codec | compression_threads | direction | try | exit | GCLocker warnings | OutOfMemoryError | seconds | first error |");
            out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (String codec : options.codecs()) {
                for (int compressionThreads : options.compressionThreads()) {
                    Path config = LargeValues.writeConfig(work.resolve(codec + "-" + compressionThreads + ".cfg"), base, work.resolve("xcom.db"), 65536, codec);
                    if (base.scheme().equals("s3")) {
                        try (S3Ceiling s3 = new S3Ceiling(AirflowConfig.load(Optional.of(config), environment), base)) {
                            s3.createBucketIfMissing(base.bucket());
                        }
                    }
                    Files.writeString(config, "\n[xcom_hybrid]\ncompression_threads = " + compressionThreads + "\nlocal_fsync = false\n",
                            java.nio.file.StandardOpenOption.APPEND);
                    String runId = "stress_" + codec + "_" + compressionThreads;
                    if (options.directions().contains("pull")) {
                        Result seed = child(work, config, "push", runId, "512m");
                        if (seed.exit() != 0) {
                            out.printf("| %s | %d | seed push (-Xmx512m) | - | %d | %d | %d | %.1f | %s |%n", codec, compressionThreads, seed.exit(), seed.gcLocker(), seed.oom(), seed.seconds(), seed.firstError());
                            continue;
                        }
                    }
                    for (String direction : options.directions()) {
                        for (int attempt = 1; attempt <= options.repeat(); attempt++) {
                            // a push under stress writes other keys than the ones the pulls read
                            Result result = child(work, config, direction, direction.equals("push") ? runId + "_stress" : runId, options.xmx());
                            out.printf(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %d | %.1f | %s |%n", codec, compressionThreads, direction, attempt,
                                    result.exit(), result.gcLocker(), result.oom(), result.seconds(), result.firstError());
                        }
                    }
                }
            }
        }

        record Result(int exit, int gcLocker, int oom, double seconds, String firstError) {}

        private Result child(Path work, Path config, String direction, String runId, String xmx)
                throws IOException, InterruptedException
        {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = List.of(java.toString(), "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"), JniStress.class.getName(),
                    "child", config.toString(), direction, runId, Integer.toString(options.threads()), Double.toString(options.mib()), Integer.toString(options.rounds()));
            Path log = Files.createTempFile(work, "child-" + direction, ".log");
            long start = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, 0, 0, (System.nanoTime() - start) / 1e9, "timed out after 20 minutes (log " + log + ")");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            int gcLocker = (int) lines.stream().filter(line -> line.contains("Retried waiting for GCLocker")).count();
            int oom = (int) lines.stream().filter(line -> line.contains("OutOfMemoryError")).count();
            String firstError = lines.stream().filter(line -> line.startsWith("error ")).findFirst()
                    .map(line -> line.length() > 160 ? line.substring(0, 160) + "..." : line).orElse("-");
            if (process.exitValue() != 0 || gcLocker > 0 || oom > 0) {
                firstError += " (log " + log + ")";
            }
            return new Result(process.exitValue(), gcLocker, oom, seconds, firstError.replace('|', '/'));
        }
    }

    /** {@code child CONFIG push|pull RUN_ID THREADS MIB ROUNDS}: exits 0 when every operation succeeded. */
    private static void child(String[] args)
            throws Exception
    {
        AirflowConfig config = AirflowConfig.load(Optional.of(Path.of(args[1])), System.getenv());
        String direction = args[2];
        String runId = args[3];
        int threads = Integer.parseInt(args[4]);
        long bytes = (long) (Double.parseDouble(args[5]) * 1024 * 1024);
        int rounds = Integer.parseInt(args[6]);
        int failures = 0;
        try (XComs xcoms = XComs.open(config)) {
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                XComKey key = XComKey.of("stress_dag", runId, "task_" + thread).withKey("value");
                futures.add(executor.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        if (direction.equals("push")) {
                            xcoms.pushJson(key, new RowsJson(bytes));
                        }
                        else {
                            long read = xcoms.pullJson(key, OutputStream.nullOutputStream());
                            if (read < bytes / 2) {
                                throw new IllegalStateException("pulled " + read + " bytes of " + key + ", expected about " + bytes);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                }
                catch (java.util.concurrent.ExecutionException e) {
                    failures++;
                    Throwable cause = e.getCause();
                    System.out.println("error " + cause.getClass().getName() + ": " + String.valueOf(cause.getMessage()).replace('\n', ' '));
                    cause.printStackTrace(System.out);
                }
            }
            executor.shutdown();
        }
        catch (Throwable e) {
            System.out.println("error " + e.getClass().getName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '));
            e.printStackTrace(System.out);
            System.exit(2);
        }
        System.out.println(failures == 0 ? "ok" : "failed " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }
}
