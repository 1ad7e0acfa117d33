import io.xcomhybrid.benchmarks.Values;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.compress.*;
import java.io.*;
import java.util.*;
import java.util.concurrent.*;
import java.lang.management.*;

public class Scale {
    static byte[] json;
    static Object value;
    static double lz4(int reps) throws Exception {
        Compression c = Compressions.forName("lz4");
        long t = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            try (OutputStream o = c.compress(OutputStream.nullOutputStream())) { o.write(json); }
        }
        return reps * (double) json.length / ((System.nanoTime() - t) / 1e9) / 1e6;
    }
    static double snappy(int reps) throws Exception {
        Compression c = Compressions.forName("snappy");
        long t = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            try (OutputStream o = c.compress(OutputStream.nullOutputStream())) { o.write(json); }
        }
        return reps * (double) json.length / ((System.nanoTime() - t) / 1e9) / 1e6;
    }
    static double enc(int reps) throws Exception {
        XComJson j = XComJson.standard();
        long t = System.nanoTime();
        for (int i = 0; i < reps; i++) j.write(value, OutputStream.nullOutputStream());
        return reps * (double) json.length / ((System.nanoTime() - t) / 1e9) / 1e6;
    }
    interface W { double run(int reps) throws Exception; }
    static final ThreadMXBean TM = ManagementFactory.getThreadMXBean();
    // returns {wall MB/s, MB per CPU-second, cpu/wall}
    static double[] timed(W w, int reps) throws Exception {
        long c0 = TM.getCurrentThreadCpuTime(); long t0 = System.nanoTime();
        double mbs = w.run(reps);
        long cpu = TM.getCurrentThreadCpuTime() - c0; long wall = System.nanoTime() - t0;
        return new double[] {mbs, mbs * wall / (double) cpu, cpu / (double) wall};
    }
    public static void main(String[] a) throws Exception {
        value = Values.ofJsonSize(64L << 20);
        json = XComJson.standard().toBytes(value);
        Map<String, W> ws = new LinkedHashMap<>();
        ws.put("lz4", Scale::lz4); ws.put("snappy", Scale::snappy); ws.put("encoder", Scale::enc);
        for (var e : ws.entrySet()) { e.getValue().run(3); }
        ExecutorService ex = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 4; round++) {
            for (var e : ws.entrySet()) {
                double[] one = timed(e.getValue(), 4);
                Future<double[]> f1 = ex.submit(() -> timed(e.getValue(), 4));
                Future<double[]> f2 = ex.submit(() -> timed(e.getValue(), 4));
                double[] d1 = f1.get(), d2 = f2.get();
                System.out.printf("%s: one thread %.0f MB/s (%.0f per CPU-s, cpu/wall %.2f); two threads each %.0f, %.0f MB/s (%.0f, %.0f per CPU-s; cpu/wall %.2f, %.2f); wall ratio %.2f, per-CPU-s ratio %.2f%n",
                    e.getKey(), one[0], one[1], one[2], d1[0], d2[0], d1[1], d2[1], d1[2], d2[2], (d1[0] + d2[0]) / 2 / one[0], (d1[1] + d2[1]) / 2 / one[1]);
            }
            double[] encOne = timed(Scale::enc, 4), lz4One = timed(Scale::lz4, 4);
            Future<double[]> f1 = ex.submit(() -> timed(Scale::enc, 4));
            Future<double[]> f2 = ex.submit(() -> timed(Scale::lz4, 4));
            double[] a1 = f1.get(), a2 = f2.get();
            System.out.printf("mixed: encoder %.0f MB/s (%.0f per CPU-s, cpu/wall %.2f; alone %.0f, %.0f per CPU-s), lz4 %.0f (%.0f per CPU-s, cpu/wall %.2f; alone %.0f, %.0f per CPU-s)%n",
                a1[0], a1[1], a1[2], encOne[0], encOne[1], a2[0], a2[1], a2[2], lz4One[0], lz4One[1]);
        }
        ex.shutdown();
    }
}
