package io.xcomhybrid.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomhybrid.json.XComJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JSON encoding of one value: {@link XComJson} (Python's {@code json.dumps} form: {@code ", "} and {@code ": "}
 * separators, non-ASCII escaped) against plain Jackson {@code writeValueAsBytes} of the same value, the ceiling.
 * MB/s = bytes of the XComJson text / average time (see RESULTS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonBenchmark
{
    /** Target JSON sizes: 1 KiB and 8 MiB. */
    @Param({"1024", "8388608"})
    public long bytes;

    private Map<String, Object> value;
    private XComJson json;
    private ObjectMapper mapper;

    @Setup
    public void setUp()
            throws IOException
    {
        value = Values.ofJsonSize(bytes);
        json = XComJson.standard();
        mapper = new ObjectMapper();
        System.out.printf("%n[sizes] target=%d xcomJson=%d jackson=%d%n", bytes, json.toBytes(value).length, mapper.writeValueAsBytes(value).length);
    }

    @Benchmark
    public byte[] xcomJson()
            throws IOException
    {
        return json.toBytes(value);
    }

    @Benchmark
    public byte[] jacksonCeiling()
            throws IOException
    {
        return mapper.writeValueAsBytes(value);
    }
}
