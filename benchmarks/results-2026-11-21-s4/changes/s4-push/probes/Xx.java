import net.jpountz.xxhash.*;
import java.lang.management.*;
public class Xx { public static void main(String[] a) {
  byte[] b = new byte[64 << 20]; new java.util.Random(1).nextBytes(b);
  ThreadMXBean tm = ManagementFactory.getThreadMXBean();
  for (String n : new String[]{"java","native","java","native","java","native"}) {
    XXHashFactory f = n.equals("java") ? XXHashFactory.fastestJavaInstance() : XXHashFactory.fastestInstance();
    long best = Long.MAX_VALUE;
    for (int r = 0; r < 5; r++) { StreamingXXHash32 h = f.newStreamingHash32(0); long c = tm.getCurrentThreadCpuTime();
      for (int o = 0; o < b.length; o += 8000) h.update(b, o, Math.min(8000, b.length - o)); h.getValue(); best = Math.min(best, tm.getCurrentThreadCpuTime() - c); }
    System.out.printf("%s (%s) %.0f MB per CPU-s%n", n, f, b.length / (best / 1e9) / 1e6); } } }
