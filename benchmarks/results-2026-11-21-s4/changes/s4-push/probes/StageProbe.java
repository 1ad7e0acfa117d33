package io.xcomhybrid.backend;

import io.xcomhybrid.benchmarks.Values;
import io.xcomhybrid.compress.*;
import io.xcomhybrid.json.XComJson;
import java.io.*;
import java.lang.management.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;

// CPU time (ms, on every thread of the process) of each stage of a 64 MiB push, per CPU-second so other load matters less
public class StageProbe {
    static final ThreadMXBean TM = ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    interface A { void run() throws Exception; }
    static void stage(String name, long bytes, A a) throws Exception {
        for (int i = 0; i < 3; i++) a.run();
        double[] cpu = new double[5], wall = new double[5];
        for (int i = 0; i < 5; i++) {
            long p0 = OS.getProcessCpuTime(); long t0 = System.nanoTime();
            a.run();
            wall[i] = (System.nanoTime() - t0) / 1e6; cpu[i] = (OS.getProcessCpuTime() - p0) / 1e6;
        }
        Arrays.sort(cpu); Arrays.sort(wall);
        System.out.printf("| %s | %.0f | %.0f | %.0f | %.0f |%n", name, cpu[2], bytes / (cpu[2] / 1e3) / 1e6, wall[2], bytes / (wall[2] / 1e3) / 1e6);
    }
    public static void main(String[] args) throws Exception {
        String codec = args[0];
        Object value = Values.ofJsonSize(64L << 20);
        byte[] json = XComJson.standard().toBytes(value);
        Compression c = Compressions.forName(codec);
        ExecutorService ex = Executors.newCachedThreadPool();
        Path dir = Files.createTempDirectory(Path.of("/tmp/s4-push"), "stage");
        System.out.println("| stage (" + codec + ", 64 MiB value, " + json.length + " bytes of JSON) | process CPU ms median | MB per CPU-s | wall ms median | MB/s wall |");
        System.out.println("|---|---|---|---|---|");
        stage("encoder -> null", json.length, () -> XComJson.standard().write(value, OutputStream.nullOutputStream()));
        stage("encoder -> PipelinedOutputStream -> null", json.length, () -> {
            PipelinedOutputStream p = new PipelinedOutputStream(OutputStream.nullOutputStream(), ex, "x");
            XComJson.standard().write(value, p); p.finish(); });
        stage("codec alone (256 KiB writes -> null)", json.length, () -> {
            try (OutputStream o = c.compress(OutputStream.nullOutputStream())) { for (int off = 0; off < json.length; off += 262144) o.write(json, off, Math.min(262144, json.length - off)); } });
        stage("codec alone (one write -> null)", json.length, () -> {
            try (OutputStream o = c.compress(OutputStream.nullOutputStream())) { o.write(json); } });
        byte[] compressed; { ByteArrayOutputStream b = new ByteArrayOutputStream(); try (OutputStream o = c.compress(b)) { o.write(json); } compressed = b.toByteArray(); }
        int[] n = {0};
        stage("file write of the compressed bytes (64 KiB writes), no force", json.length, () -> {
            Path f = dir.resolve("f" + n[0]++);
            try (OutputStream o = java.nio.channels.Channels.newOutputStream(FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) { for (int off = 0; off < compressed.length; off += 65536) o.write(compressed, off, Math.min(65536, compressed.length - off)); }
            Files.delete(f); });
        stage("file write of the compressed bytes + force", json.length, () -> {
            Path f = dir.resolve("f" + n[0]++);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream o = java.nio.channels.Channels.newOutputStream(ch);
                for (int off = 0; off < compressed.length; off += 65536) o.write(compressed, off, Math.min(65536, compressed.length - off));
                ch.force(true); }
            Files.delete(f); });
        stage("encoder -> Pipelined -> codec -> null", json.length, () -> {
            OutputStream o = c.compress(OutputStream.nullOutputStream());
            PipelinedOutputStream p = new PipelinedOutputStream(o, ex, "x");
            XComJson.standard().write(value, p); p.finish(); o.close(); });
        stage("encoder -> codec -> null, one thread", json.length, () -> {
            try (OutputStream o = c.compress(OutputStream.nullOutputStream())) { XComJson.standard().write(value, o); } });
        ex.shutdown();
    }
}
