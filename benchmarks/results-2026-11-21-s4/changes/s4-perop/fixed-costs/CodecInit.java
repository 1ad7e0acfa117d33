import io.xcomhybrid.compress.*;
import java.io.*;
import java.util.*;
public class CodecInit { public static void main(String[] a) throws Exception {
  int n = 400;
  for (String codec : new String[]{"gzip","zstd","lz4","snappy"}) {
    Compression c = Compressions.forName(codec);
    ByteArrayOutputStream bo = new ByteArrayOutputStream(); try (OutputStream o = c.compress(bo)) { o.write(new byte[]{'1'}); } byte[] z = bo.toByteArray();
    long[] w = new long[n], r = new long[n];
    for (int i = -300; i < n; i++) {
      long t0 = System.nanoTime();
      try (OutputStream o = c.compress(OutputStream.nullOutputStream())) { o.write('1'); }
      long t1 = System.nanoTime();
      try (InputStream in = c.decompress(new ByteArrayInputStream(z))) { in.read(); in.read(); }
      long t2 = System.nanoTime();
      if (i >= 0) { w[i] = t1 - t0; r[i] = t2 - t1; }
    }
    Arrays.sort(w); Arrays.sort(r);
    System.out.printf("%-6s 1-byte object: compress stream set-up+finish min %.3f p50 %.3f ms; decompress stream set-up+read min %.3f p50 %.3f ms%n", codec, w[0]/1e6, w[n/2]/1e6, r[0]/1e6, r[n/2]/1e6);
  }
}}
