import io.xcomhybrid.benchmarks.Values;
import io.xcomhybrid.json.XComJson;
import java.io.*;
import java.lang.management.*;
import java.util.*;
public class Enc {
    public static void main(String[] a) throws Exception {
        Object value = Values.ofJsonSize(64L << 20);
        XComJson j = XComJson.standard();
        long len = j.toBytes(value).length;
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        int n = Integer.parseInt(a[0]);
        double[] r = new double[n];
        for (int i = -15; i < n; i++) {
            long c = tm.getCurrentThreadCpuTime();
            j.write(value, OutputStream.nullOutputStream());
            if (i >= 0) r[i] = len / ((tm.getCurrentThreadCpuTime() - c) / 1e9) / 1e6;
        }
        Arrays.sort(r);
        System.out.printf("%s encoder MB per CPU-s: min %.0f median %.0f max %.0f%n", a.length > 1 ? a[1] : "", r[0], r[n / 2], r[n - 1]);
    }
}
