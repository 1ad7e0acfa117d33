package io.xcomhybrid.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.config.AirflowConfig;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One push or one pull of a large value, alone in its JVM, so its memory can be measured: {@link LargeValues} runs it
 * in a child JVM ({@code -Xmx256m}). A push sends the JSON text of {@code Values.ofJsonSize(mib MiB)} made on the fly
 * ({@link RowsJson}, never held whole) through {@link XComs#pushJson}; a pull streams {@link XComs#pullJson}
 * into a sink that only counts and hashes. Prints one line of {@code key=value} pairs:
 * bytes and SHA-256 of the JSON text, seconds, the heap (sum over heap pools of each pool's peak, reset before the
 * operation; and the largest heap occupancy right after a GC, i.e. what survived), the GC count, and
 * {@code VmHWM}/{@code VmRSS} from {@code /proc/self/status} (the high-water mark is reset through
 * {@code /proc/self/clear_refs} before the operation, when the kernel allows it).
 *
 * <pre>java -Xmx256m -cp benchmarks.jar io.xcomhybrid.benchmarks.MemoryProbe CONFIG_FILE push|pull|pull-keep MIB RUN_ID</pre>
 * ({@code pull} deletes the XCom after reading it, {@code pull-keep} leaves it, for repeated pulls.)
 * The configuration is an airflow.cfg file plus the environment ({@code AIRFLOW_CONN_*}), as a user gives it.
 */
public final class MemoryProbe
{
    private MemoryProbe() {}

    public static void main(String[] args)
            throws Exception
    {
        if (args.length != 4 || !Set.of("push", "pull", "pull-keep").contains(args[1])) {
            throw new IllegalArgumentException("usage: MemoryProbe CONFIG_FILE push|pull|pull-keep MIB RUN_ID");
        }
        AirflowConfig config = AirflowConfig.load(Optional.of(Path.of(args[0])), System.getenv());
        String operation = args[1];
        long targetBytes = (long) (Double.parseDouble(args[2]) * 1024 * 1024);
        XComKey key = XComKey.of("bench_dag", args[3], "memory").withKey("value");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("op", operation);
        try (XComs xcoms = XComs.open(config)) {
            Measurement measurement = Measurement.start();
            long start = System.nanoTime();
            MessageDigest sha256 = sha256();
            long bytes;
            if (operation.equals("push")) {
                // RowsJson counts what was read from it, all through the digest
                RowsJson json = new RowsJson(targetBytes);
                PushResult result = xcoms.pushJson(key, new DigestInputStream(json, sha256));
                bytes = json.count();
                report.put("location", result.location().map(Object::toString).orElse("-"));
                report.put("stored", result.size());
            }
            else {
                CountingOutputStream counting = new CountingOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
                long written = xcoms.pullJson(key, counting);
                if (written != counting.count) {
                    throw new IllegalStateException("pullJson reported " + written + " bytes, the sink got " + counting.count);
                }
                bytes = counting.count;
                if (operation.equals("pull")) {
                    xcoms.delete(key);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            report.put("bytes", bytes);
            report.put("sha256", HexFormat.of().formatHex(sha256.digest()));
            report.put("seconds", String.format(Locale.ROOT, "%.3f", seconds));
            measurement.finish(report);
        }
        System.out.println("probe " + report.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(" ")));
    }

    /** Heap and RSS around one operation. */
    static final class Measurement
    {
        private final List<MemoryPoolMXBean> heapPools;
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final NotificationListener listener;
        private final long gcsBefore;
        private final long rssBefore;
        private final boolean hwmReset;

        private Measurement()
        {
            System.gc();
            heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            listener = (notification, handback) -> {
                if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = 0;
                    for (MemoryPoolMXBean pool : heapPools) {
                        MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                        used += after == null ? 0 : after.getUsed();
                    }
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
            }
            gcsBefore = gcCount();
            hwmReset = resetHighWaterMark();
            rssBefore = procStatus("VmRSS");
        }

        static Measurement start()
        {
            return new Measurement();
        }

        void finish(Map<String, Object> report)
        {
            long peak = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            report.put("heapMax", Runtime.getRuntime().maxMemory());
            report.put("heapPeak", peak);
            report.put("heapMaxAfterGc", maxAfterGc.get());
            report.put("gcs", gcCount() - gcsBefore);
            report.put("rssBefore", rssBefore);
            report.put("vmHwm", procStatus("VmHWM"));
            report.put("hwmReset", hwmReset);
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                try {
                    ((NotificationEmitter) gc).removeNotificationListener(listener);
                }
                catch (javax.management.ListenerNotFoundException ignored) {
                    // nothing to remove
                }
            }
        }

        private static long gcCount()
        {
            return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        }

        /** Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
        private static boolean resetHighWaterMark()
        {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
                return true;
            }
            catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /** A {@code /proc/self/status} figure in bytes, or -1 where there is none (not Linux). */
        static long procStatus(String field)
        {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                    if (line.startsWith(field + ":")) {
                        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) * 1024;
                    }
                }
                return -1;
            }
            catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class CountingOutputStream
            extends java.io.FilterOutputStream
    {
        long count;

        CountingOutputStream(OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(int b)
                throws IOException
        {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len)
                throws IOException
        {
            out.write(b, off, len);
            count += len;
        }
    }
}
