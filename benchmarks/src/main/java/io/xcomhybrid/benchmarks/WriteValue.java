package io.xcomhybrid.benchmarks;

import io.xcomhybrid.json.XComJson;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the JSON text of the benchmark value of a given size, so the Airflow script
 * ({@code benchmarks/python/airflow_bench.py}) measures the very value the JVM measures.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.xcomhybrid.benchmarks.WriteValue MIB FILE</pre>
 */
public final class WriteValue
{
    private WriteValue() {}

    public static void main(String[] args)
            throws Exception
    {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: WriteValue MIB FILE");
        }
        long bytes = Long.parseLong(args[0]) << 20;
        try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
            XComJson.standard().write(Values.ofJsonSize(bytes), out);
        }
    }
}
