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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JSON decoding of one value's text in Python's form: {@link XComJson#read} into Java values against plain Jackson
 * {@code readValue(bytes, Map.class)} of the same bytes (the ceiling: the same maps, lists and boxed numbers, no
 * Python rules, no envelopes), and {@link XComJson#transcode} (the parse and re-write of {@code pushJson}).
 * MB/s = bytes of the text / average time (see RESULTS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonReadBenchmark
{
    /** Target JSON sizes: 1 KiB and 8 MiB. */
    @Param({"1024", "8388608"})
    public long bytes;

    private byte[] text;
    private XComJson json;
    private ObjectMapper mapper;

    @Setup
    public void setUp()
    {
        json = XComJson.standard();
        mapper = new ObjectMapper();
        text = json.toBytes(Values.ofJsonSize(bytes));
        System.out.printf("%n[sizes] target=%d text=%d%n", bytes, text.length);
    }

    @Benchmark
    public Object xcomJsonRead()
    {
        return json.read(text);
    }

    @Benchmark
    public Object jacksonCeiling()
            throws IOException
    {
        return mapper.readValue(text, Map.class);
    }

    @Benchmark
    public void xcomJsonTranscode()
            throws IOException
    {
        json.transcode(new ByteArrayInputStream(text), OutputStream.nullOutputStream());
    }
}
