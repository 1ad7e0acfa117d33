package io.xcomhybrid.cli;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on stderr for transfers of more than a few MiB, shown only when the process has a
 * terminal (so pipes and CI logs stay clean).
 */
final class Progress
{
    private static final long SHOW_ABOVE = 4L * 1024 * 1024;
    private static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintStream err;
    private final String verb;
    private final long total;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long bytes;
    private long lastPrint;
    private boolean printed;

    Progress(PrintStream err, String verb, long total, boolean enabled)
    {
        this.err = err;
        this.verb = verb;
        this.total = total;
        this.enabled = enabled;
    }

    static boolean terminalAttached()
    {
        return System.console() != null;
    }

    void advance(long n)
    {
        bytes += n;
        if (!enabled || bytes < SHOW_ABOVE) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint < INTERVAL_NANOS) {
            return;
        }
        lastPrint = now;
        printed = true;
        double seconds = Math.max((now - start) / 1e9, 1e-3);
        String rate = String.format(Locale.ROOT, "%.1f MiB/s", bytes / 1048576.0 / seconds);
        String amount = total > 0
                ? String.format(Locale.ROOT, "%s %.1f / %.1f MiB (%d%%)", verb, bytes / 1048576.0, total / 1048576.0, bytes * 100 / total)
                : String.format(Locale.ROOT, "%s %.1f MiB", verb, bytes / 1048576.0);
        err.print("\r" + amount + ", " + rate + "   ");
        err.flush();
    }

    void done()
    {
        if (printed) {
            err.println();
        }
    }

    InputStream wrap(InputStream in)
    {
        return new FilterInputStream(in)
        {
            @Override
            public int read()
                    throws IOException
            {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length)
                    throws IOException
            {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }
        };
    }

    OutputStream wrap(OutputStream out)
    {
        return new FilterOutputStream(out)
        {
            @Override
            public void write(byte[] buffer, int offset, int length)
                    throws IOException
            {
                out.write(buffer, offset, length);
                advance(length);
            }
        };
    }
}
