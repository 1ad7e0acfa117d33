package io.xcomhybrid.benchmarks;

import javax.imageio.ImageIO;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The growth plot, drawn with Java2D: log-log, x = JSON bytes of the value, y = latency in ms (median, with a bar
 * from min to max), one line per operation and store, the threshold as a dashed vertical line.
 */
final class Plot
{
    static final int WIDTH = 1200;
    static final int HEIGHT = 760;

    private static final int LEFT = 100;
    private static final int RIGHT = 40;
    private static final int TOP = 80;
    private static final int BOTTOM = 80;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private Plot() {}

    static void write(Path png, String title, String subtitle, List<Growth.Row> rows, long threshold)
            throws IOException
    {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, title, subtitle, rows, threshold);
        }
        finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("No PNG writer available for " + png);
        }
    }

    private record Series(String label, List<double[]> points) {}

    private static void draw(Graphics2D g, String title, String subtitle, List<Growth.Row> rows, long threshold)
    {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        // each point: x bytes, median ms, min ms, max ms
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, List<Growth.Row>> store : Growth.byStore(rows).entrySet()) {
            List<double[]> push = new ArrayList<>();
            List<double[]> pull = new ArrayList<>();
            for (Growth.Row row : store.getValue()) {
                push.add(new double[] {row.jsonBytes(), row.medianPush(), row.pushMs()[0], row.pushMs()[row.pushMs().length - 1]});
                pull.add(new double[] {row.jsonBytes(), row.medianPull(), row.pullMs()[0], row.pullMs()[row.pullMs().length - 1]});
            }
            series.add(new Series("push, " + store.getKey(), push));
            series.add(new Series("pull, " + store.getKey(), pull));
        }
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (Series s : series) {
            for (double[] p : s.points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, Math.max(p[2], 1e-3));
                maxY = Math.max(maxY, p[3]);
            }
        }
        if (series.isEmpty() || maxX == 0) {
            minX = 1024;
            maxX = 1 << 30;
            minY = 0.1;
            maxY = 1000;
        }
        minX = Math.min(minX, threshold);
        maxX = Math.max(maxX, threshold);
        // whole powers of 2^10 on x (KiB, MiB, GiB) and of 10 on y
        int xLow = (int) Math.floor(log2(minX)) - 1;
        int xHigh = (int) Math.ceil(log2(maxX)) + 1;
        int yLow = (int) Math.floor(Math.log10(minY));
        int yHigh = (int) Math.ceil(Math.log10(maxY));
        if (yHigh == yLow) {
            yHigh++;
        }
        Axes axes = new Axes(xLow, xHigh, yLow, yHigh);

        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        g.setColor(Color.BLACK);
        g.setFont(base.deriveFont(Font.BOLD, 18f));
        centered(g, title, WIDTH / 2, 32);
        g.setFont(base.deriveFont(13f));
        g.setColor(Color.DARK_GRAY);
        centered(g, subtitle, WIDTH / 2, 54);

        // grid and ticks
        g.setFont(base.deriveFont(12f));
        Stroke solid = new BasicStroke(1f);
        for (int e = xLow; e <= xHigh; e++) {
            int x = axes.x(Math.pow(2, e));
            boolean major = e % 10 == 0 || e % 2 == 0;
            g.setColor(major ? new Color(0xdddddd) : new Color(0xf0f0f0));
            g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
            if (e % 2 == 0) {
                g.setColor(Color.BLACK);
                centered(g, Growth.human(1L << e), x, HEIGHT - BOTTOM + 18);
            }
        }
        for (int e = yLow; e <= yHigh; e++) {
            int y = axes.y(Math.pow(10, e));
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(new Color(0xf2f2f2));
            for (int m = 2; m < 10 && e < yHigh; m++) {
                int minor = axes.y(m * Math.pow(10, e));
                g.drawLine(LEFT, minor, WIDTH - RIGHT, minor);
            }
            g.setColor(Color.BLACK);
            String label = e >= 0 ? String.format("%,d", (long) Math.pow(10, e)) : Double.toString(Math.pow(10, e)).replaceAll("0+$", "");
            FontMetrics metrics = g.getFontMetrics();
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.setStroke(solid);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        g.setFont(base.deriveFont(Font.BOLD, 14f));
        centered(g, "value size (bytes of JSON text, log scale)", LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 30);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        centered(rotated, "latency, ms (log scale; median, bar = min..max)", -(TOP + (HEIGHT - TOP - BOTTOM) / 2), 28);
        rotated.dispose();

        // threshold
        int tx = axes.x(threshold);
        g.setColor(new Color(0x555555));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        g.drawLine(tx, TOP, tx, HEIGHT - BOTTOM);
        g.setFont(base.deriveFont(12f));
        String thresholdLabel = "threshold " + Growth.human(threshold) + ": row below, object above";
        int labelWidth = g.getFontMetrics().stringWidth(thresholdLabel);
        g.drawString(thresholdLabel, tx + 6 + labelWidth < WIDTH - RIGHT ? tx + 6 : tx - 6 - labelWidth, HEIGHT - BOTTOM - 8);

        // series
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Color color = COLORS[i % COLORS.length];
            boolean pull = s.label.startsWith("pull");
            g.setColor(color);
            g.setStroke(pull
                    ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (int p = 1; p < s.points.size(); p++) {
                double[] a = s.points.get(p - 1);
                double[] b = s.points.get(p);
                g.drawLine(axes.x(a[0]), axes.y(a[1]), axes.x(b[0]), axes.y(b[1]));
            }
            g.setStroke(solid);
            for (double[] p : s.points) {
                int x = axes.x(p[0]);
                g.drawLine(x, axes.y(p[2]), x, axes.y(p[3]));
                marker(g, pull, x, axes.y(p[1]));
            }
        }

        // legend, top left inside the plot area
        g.setFont(base.deriveFont(13f));
        int lx = LEFT + 14;
        int ly = TOP + 14;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(lx - 6, ly - 6, 230, 22 * series.size() + 8);
        g.setColor(Color.GRAY);
        g.drawRect(lx - 6, ly - 6, 230, 22 * series.size() + 8);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            boolean pull = s.label.startsWith("pull");
            int y = ly + 22 * i + 8;
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(pull
                    ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
            g.drawLine(lx, y, lx + 36, y);
            g.setStroke(solid);
            marker(g, pull, lx + 18, y);
            g.setColor(Color.BLACK);
            g.drawString(s.label, lx + 46, y + 5);
        }
    }

    private static void marker(Graphics2D g, boolean square, int x, int y)
    {
        if (square) {
            g.fillRect(x - 4, y - 4, 9, 9);
        }
        else {
            g.fillOval(x - 5, y - 5, 10, 10);
        }
    }

    private static void centered(Graphics2D g, String text, int x, int y)
    {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    private static double log2(double value)
    {
        return Math.log(value) / Math.log(2);
    }

    private record Axes(int xLow, int xHigh, int yLow, int yHigh)
    {
        int x(double bytes)
        {
            double fraction = (log2(bytes) - xLow) / (xHigh - xLow);
            return LEFT + (int) Math.round(fraction * (WIDTH - LEFT - RIGHT));
        }

        int y(double ms)
        {
            double fraction = (Math.log10(Math.max(ms, Math.pow(10, yLow))) - yLow) / (yHigh - yLow);
            return HEIGHT - BOTTOM - (int) Math.round(fraction * (HEIGHT - TOP - BOTTOM));
        }
    }
}
