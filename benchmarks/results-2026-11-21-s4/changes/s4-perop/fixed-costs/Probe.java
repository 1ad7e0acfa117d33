import java.nio.*;
import java.nio.channels.*;
import java.nio.file.*;
import java.sql.*;
import java.util.*;
import java.io.*;

public class Probe {
    static double median(List<Long> xs) { List<Long> s = new ArrayList<>(xs); Collections.sort(s); return s.get(s.size()/2) / 1e3; }
    static String stat(String name, List<Long> xs) { List<Long> s = new ArrayList<>(xs); Collections.sort(s);
        return String.format("%-45s min %8.1f  p50 %8.1f  max %8.1f us (n=%d)", name, s.get(0)/1e3, s.get(s.size()/2)/1e3, s.get(s.size()-1)/1e3, s.size()); }
    public static void main(String[] a) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(a.length > 0 ? a[0] : "/tmp"), "probe");
        int n = 40;
        byte[] data = new byte[318_000]; new Random(1).nextBytes(data);
        Map<String, List<Long>> t = new LinkedHashMap<>();
        for (int i = -5; i < n; i++) {
            Path temp = dir.resolve(".tmp-" + i), target = dir.resolve("obj-" + i);
            long t0 = System.nanoTime();
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            long t1 = System.nanoTime();
            ch.write(ByteBuffer.wrap(data));
            long t2 = System.nanoTime();
            if (i % 2 == 0) ch.force(false); else ch.force(true);
            long t3 = System.nanoTime();
            ch.close();
            Files.createLink(target, temp);
            Files.delete(temp);
            long t4 = System.nanoTime();
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); }
            long t5 = System.nanoTime();
            if (i >= 0) {
                t.computeIfAbsent("open(create)", k -> new ArrayList<>()).add(t1 - t0);
                t.computeIfAbsent("write 318 KB", k -> new ArrayList<>()).add(t2 - t1);
                t.computeIfAbsent(i % 2 == 0 ? "force(false) fdatasync" : "force(true) fsync", k -> new ArrayList<>()).add(t3 - t2);
                t.computeIfAbsent("close+link+delete temp", k -> new ArrayList<>()).add(t4 - t3);
                t.computeIfAbsent("dir fsync", k -> new ArrayList<>()).add(t5 - t4);
            }
        }
        // same without fsyncs
        for (int i = -5; i < n; i++) {
            Path temp = dir.resolve(".ntmp-" + i), target = dir.resolve("nobj-" + i);
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) { ch.write(ByteBuffer.wrap(data)); }
            Files.createLink(target, temp); Files.delete(temp);
            long t1 = System.nanoTime();
            if (i >= 0) t.computeIfAbsent("whole file write, no fsync", k -> new ArrayList<>()).add(t1 - t0);
        }
        // SQLite commit costs
        for (String sync : List.of("FULL", "NORMAL", "OFF")) {
            Path db = dir.resolve("db-" + sync + ".sqlite");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL"); s.execute("PRAGMA synchronous=" + sync);
                    s.execute("CREATE TABLE x (k TEXT PRIMARY KEY, v BLOB)");
                }
                PreparedStatement ins = c.prepareStatement("INSERT INTO x VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v");
                Statement s = c.createStatement();
                for (int i = -5; i < n; i++) {
                    long t0 = System.nanoTime();
                    s.execute("BEGIN IMMEDIATE");
                    ins.setString(1, "key" + (i % 5)); ins.setBytes(2, ("\"file:///tmp/some/path/" + UUID.randomUUID() + ".lz4\"").getBytes());
                    ins.executeUpdate();
                    long t1 = System.nanoTime();
                    s.execute("COMMIT");
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        t.computeIfAbsent("sqlite " + sync + " begin+upsert", k -> new ArrayList<>()).add(t1 - t0);
                        t.computeIfAbsent("sqlite " + sync + " COMMIT", k -> new ArrayList<>()).add(t2 - t1);
                    }
                }
                try (ResultSet r = s.executeQuery("PRAGMA synchronous")) { r.next(); System.out.println("# synchronous " + sync + " -> " + r.getInt(1)); }
            }
        }
        for (var e : t.entrySet()) System.out.println(stat(e.getKey(), e.getValue()));
    }
}
