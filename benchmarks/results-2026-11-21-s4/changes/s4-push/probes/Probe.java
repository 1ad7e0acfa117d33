import io.xcomhybrid.*;
import io.xcomhybrid.benchmarks.Values;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.json.XComJson;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;

// per push of a 64 MiB value: wall, process CPU, CPU of the caller and of each xcom-hybrid thread, GC count/time
public class Probe {
    public static void main(String[] a) throws Exception {
        String codec = a[0];
        String fsync = a.length > 1 ? a[1] : "true";
        String threads = a.length > 2 ? a[2] : null;
        int mib = a.length > 3 ? Integer.parseInt(a[3]) : 64;
        int runs = a.length > 4 ? Integer.parseInt(a[4]) : 6;
        Path work = Files.createTempDirectory(Path.of("/tmp/s4-push"), "probe");
        Map<String, String> hybrid = new HashMap<>();
        hybrid.put("local_fsync", fsync);
        if (threads != null && !threads.equals("default")) hybrid.put("compression_threads", threads);
        AirflowConfig config = AirflowConfig.of(Map.of(
                "core", Map.of("xcom_backend", "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend"),
                "database", Map.of("sql_alchemy_conn", "sqlite:///" + work.resolve("large.db")),
                "common.io", Map.of("xcom_objectstorage_path", "file://" + work.resolve("objects"), "xcom_objectstorage_threshold", "65536", "xcom_objectstorage_compression", codec),
                "xcom_hybrid", hybrid), Map.of());
        Object value = Values.ofJsonSize((long) mib << 20);
        long bytes = XComJson.standard().toBytes(value).length;
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (XComs xcoms = XComs.open(config)) {
            for (int run = -3; run < runs; run++) {
                XComKey key = XComKey.of("d", "r" + run, "t");
                System.gc();
                Map<Long, Long> before = new HashMap<>();
                for (long id : tm.getAllThreadIds()) before.put(id, tm.getThreadCpuTime(id));
                long gcCount0 = 0, gcTime0 = 0;
                for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) { gcCount0 += gc.getCollectionCount(); gcTime0 += gc.getCollectionTime(); }
                long p0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                xcoms.push(key, value);
                long wall = System.nanoTime() - t0;
                long proc = os.getProcessCpuTime() - p0;
                long gcCount = -gcCount0, gcTime = -gcTime0;
                for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) { gcCount += gc.getCollectionCount(); gcTime += gc.getCollectionTime(); }
                StringBuilder sb = new StringBuilder();
                long javaSum = 0;
                for (ThreadInfo info : tm.getThreadInfo(tm.getAllThreadIds())) {
                    if (info == null) continue;
                    long cpu = tm.getThreadCpuTime(info.getThreadId()) - before.getOrDefault(info.getThreadId(), 0L);
                    javaSum += cpu;
                    if (cpu > 2_000_000) sb.append(String.format(" %s=%.0fms", info.getThreadName(), cpu / 1e6));
                }
                if (run >= 0) System.out.printf("%s fsync=%s threads=%s %d MiB: %.1f MB/s wall %.0f ms, process CPU %.0f ms (java threads %.0f, other (GC/JIT) %.0f), GCs %d (%d ms);%s%n",
                        codec, fsync, threads, mib, bytes / (wall / 1e9) / 1e6, wall / 1e6, proc / 1e6, javaSum / 1e6, (proc - javaSum) / 1e6, gcCount, gcTime, sb);
                xcoms.delete(key);
            }
        }
    }
}
