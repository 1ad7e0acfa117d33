import java.security.MessageDigest;
import java.lang.management.*;
public class Sha { public static void main(String[] a) throws Exception {
  byte[] b = new byte[64 << 20]; new java.util.Random(1).nextBytes(b);
  ThreadMXBean tm = ManagementFactory.getThreadMXBean();
  for (int i = 0; i < 8; i++) { MessageDigest d = MessageDigest.getInstance("SHA-256"); long c = tm.getCurrentThreadCpuTime();
    for (int o = 0; o < b.length; o += 262144) d.update(b, o, 262144); d.digest();
    System.out.printf("sha256 %.0f MB per CPU-s%n", b.length / ((tm.getCurrentThreadCpuTime() - c) / 1e9) / 1e6); } } }
