package io.xcomhybrid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Runs {@code xcom} in a separate JVM, as a user would, with its own working directory and environment. */
final class CliProcess
{
    record Result(int exitCode, String stdout, String stderr)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private final Path workingDirectory;
    private final Map<String, String> environment = new HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();

    CliProcess(Path workingDirectory)
    {
        this.workingDirectory = workingDirectory;
    }

    CliProcess env(String name, String value)
    {
        environment.put(name, value);
        return this;
    }

    CliProcess jvm(String option)
    {
        jvmOptions.add(option);
        return this;
    }

    Result run(String... args)
            throws IOException, InterruptedException
    {
        return run(null, args);
    }

    Result run(Path stdin, String... args)
            throws IOException, InterruptedException
    {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(XComCommand.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        // a clean environment: no AIRFLOW__* or XCOM_CONFIG leaking in from the machine
        builder.environment().keySet().removeIf(name -> name.startsWith("AIRFLOW") || name.startsWith("XCOM_CONFIG"));
        builder.environment().put("PWD", workingDirectory.toString());
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("xcom-out", ".txt");
        Path err = Files.createTempFile("xcom-err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("xcom " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        try {
            return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        }
        finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String read(InputStream in)
            throws IOException
    {
        return new String(in.readAllBytes(), UTF_8);
    }
}
