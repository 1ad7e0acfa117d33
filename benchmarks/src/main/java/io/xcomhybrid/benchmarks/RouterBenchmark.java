package io.xcomhybrid.benchmarks;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.backend.ObjectStorageSettings;
import io.xcomhybrid.backend.ObjectStorageSettings.UnreadableObjectPolicy;
import io.xcomhybrid.backend.ObjectStorageXComBackend;
import io.xcomhybrid.backend.SerializedXCom;
import io.xcomhybrid.backend.XComPayload;
import io.xcomhybrid.compress.Compressions;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The threshold router's cost for a value under the threshold: {@link ObjectStorageXComBackend#serialize} (buffer,
 * measure, keep in the row) against {@link XComJson#toBytes} of the same ~1 KiB value. No object is written.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterBenchmark
{
    private final XComKey key = XComKey.of("bench_dag", "manual__2026-01-01T00:00:00+00:00", "task");
    private Map<String, Object> value;
    private XComJson json;
    private ObjectStores stores;
    private ObjectStorageXComBackend backend;
    private Path directory;

    @Setup
    public void setUp()
            throws IOException
    {
        directory = Files.createTempDirectory("router-bench");
        value = Values.ofJsonSize(1024);
        json = XComJson.standard();
        stores = new ObjectStores(AirflowConfig.of(Map.of(), Map.of()));
        ObjectStorageSettings settings = new ObjectStorageSettings(Location.parse("file://" + directory.toAbsolutePath()), 1 << 20, Compressions.forName("gzip"), UnreadableObjectPolicy.FAIL);
        backend = new ObjectStorageXComBackend(settings, stores, json);
    }

    @TearDown
    public void tearDown()
            throws IOException
    {
        stores.close();
        Files.deleteIfExists(directory);
    }

    @Benchmark
    public SerializedXCom routerSerialize()
            throws IOException
    {
        return backend.serialize(key, XComPayload.ofValue(value, json));
    }

    @Benchmark
    public byte[] xcomJsonCeiling()
            throws IOException
    {
        return json.toBytes(value);
    }
}
