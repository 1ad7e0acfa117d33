import java.nio.*;
import java.nio.channels.*;
import java.nio.file.*;
import java.util.*;
public class FsyncOrder {
    public static void main(String[] a) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fsyncorder");
        int n = Integer.parseInt(a[0]);
        byte[] data = new byte[318_000]; new Random(1).nextBytes(data);
        Map<String, List<Long>> t = new LinkedHashMap<>();
        for (int i = -5; i < n; i++) {
            for (int v = 0; v < 3; v++) {
                Path temp = dir.resolve(".tmp-" + v + "-" + i), target = dir.resolve("obj-" + v + "-" + i);
                long t0 = System.nanoTime();
                FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ch.write(ByteBuffer.wrap(data));
                long t1 = System.nanoTime(), t2, t3, t4;
                if (v == 0) { // current: fdatasync, link, unlink, fsync dir
                    ch.force(false); t2 = System.nanoTime();
                    ch.close(); Files.createLink(target, temp); Files.delete(temp); t3 = System.nanoTime();
                    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); } t4 = System.nanoTime();
                } else if (v == 1) { // fdatasync, rename (one dir op), fsync dir
                    ch.force(false); t2 = System.nanoTime();
                    ch.close(); Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE); t3 = System.nanoTime();
                    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) { d.force(true); } t4 = System.nanoTime();
                } else { // no fsync at all
                    t2 = System.nanoTime(); ch.close(); Files.createLink(target, temp); Files.delete(temp); t3 = System.nanoTime(); t4 = t3;
                }
                if (i >= 0) {
                    t.computeIfAbsent(v + " write", k -> new ArrayList<>()).add(t1 - t0);
                    t.computeIfAbsent(v + " data fsync", k -> new ArrayList<>()).add(t2 - t1);
                    t.computeIfAbsent(v + " name ops", k -> new ArrayList<>()).add(t3 - t2);
                    t.computeIfAbsent(v + " dir fsync", k -> new ArrayList<>()).add(t4 - t3);
                    t.computeIfAbsent(v + " TOTAL", k -> new ArrayList<>()).add(t4 - t0);
                }
            }
        }
        new TreeMap<>(t).forEach((k, xs) -> { Collections.sort(xs); System.out.printf("%-20s min %7.3f p25 %7.3f p50 %7.3f p90 %7.3f ms%n", k, xs.get(0)/1e6, xs.get(xs.size()/4)/1e6, xs.get(xs.size()/2)/1e6, xs.get(xs.size()*9/10)/1e6); });
    }
}
