package io.linerate.ops.report;

import java.util.Locale;
import java.util.function.DoubleFunction;

/** The report's charts, written as inline SVG (no script, nothing loaded). */
final class Svg
{
    static final int WIDTH = 560;
    private static final int LABEL_WIDTH = 190;
    private static final int BAR_HEIGHT = 18;
    private static final int GAP = 5;

    private Svg()
    {
    }

    /** Horizontal bars, one a label, each its own colour; the value is written after the bar. */
    static void bars(final StringBuilder out, final String title, final String[] labels, final long[] values,
        final String[] colors)
    {
        final long[][] stacks = new long[values.length][];
        for (int i = 0; i < values.length; i++)
        {
            stacks[i] = new long[] {values[i]};
        }
        stacked(out, title, labels, stacks, colors, true);
    }

    /**
     * Horizontal stacked bars: {@code values[row][series]}, {@code colors[series]} (or, with
     * {@code colorPerRow}, one series whose colour is {@code colors[row]}).
     */
    static void stacked(final StringBuilder out, final String title, final String[] labels, final long[][] values,
        final String[] colors, final boolean colorPerRow)
    {
        long max = 1;
        for (final long[] row : values)
        {
            long sum = 0;
            for (final long v : row)
            {
                sum += v;
            }
            max = Math.max(max, sum);
        }
        final int height = Math.max(1, labels.length) * (BAR_HEIGHT + GAP) + GAP;
        final int room = WIDTH - LABEL_WIDTH - 70;
        open(out, title, height);
        for (int i = 0; i < labels.length; i++)
        {
            final int y = GAP + i * (BAR_HEIGHT + GAP);
            text(out, LABEL_WIDTH - 6, y + 13, "end", labels[i]);
            double x = LABEL_WIDTH;
            long sum = 0;
            for (int s = 0; s < values[i].length; s++)
            {
                final long v = values[i][s];
                sum += v;
                if (v == 0)
                {
                    continue;
                }
                final double w = Math.max(1.5, room * (double)v / max);
                out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">" +
                    "<title>%s</title></rect>", x, y, w, BAR_HEIGHT, colorPerRow ? colors[i] : colors[s],
                    HtmlReport.escape(labels[i] + ": " + String.format(Locale.ROOT, "%,d", v))));
                x += w;
            }
            text(out, (int)x + 5, y + 13, "start", String.format(Locale.ROOT, "%,d", sum));
        }
        out.append("</svg>");
    }

    /** Vertical columns over labelled buckets (a distribution). */
    static void columns(final StringBuilder out, final String title, final String[] labels, final long[] counts,
        final String color)
    {
        final int height = 200;
        final int top = 10;
        final int bottom = 62;
        final int left = 50;
        final int plot = height - top - bottom;
        long max = 1;
        for (final long c : counts)
        {
            max = Math.max(max, c);
        }
        open(out, title, height);
        axes(out, left, top, WIDTH - 10, height - bottom);
        text(out, left - 4, top + 8, "end", String.format(Locale.ROOT, "%,d", max));
        text(out, left - 4, height - bottom, "end", "0");
        final double slot = (WIDTH - 10 - left) / (double)Math.max(1, counts.length);
        for (int i = 0; i < counts.length; i++)
        {
            final double x = left + i * slot;
            if (counts[i] > 0)
            {
                final double h = Math.max(1.5, plot * (double)counts[i] / max);
                out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" " +
                    "fill=\"%s\"><title>%s</title></rect>", x + 1, height - bottom - h, Math.max(1, slot - 2), h, color,
                    HtmlReport.escape(labels[i] + ": " + String.format(Locale.ROOT, "%,d", counts[i]))));
            }
            if (counts.length <= 12 || i % ((counts.length + 11) / 12) == 0)
            {
                out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" transform=\"rotate(45 %.1f %d)\" " +
                    "font-size=\"10\">%s</text>", x + slot / 2, height - bottom + 12, x + slot / 2, height - bottom + 12,
                    HtmlReport.escape(labels[i])));
            }
        }
        out.append("</svg>");
    }

    /** A line over packet time: {@code x} nanoseconds, {@code y} values, the y axis labelled by {@code format}. */
    static void line(final StringBuilder out, final String title, final double[] x, final double[] y,
        final DoubleFunction<String> format, final String color)
    {
        final int height = 200;
        final int top = 10;
        final int bottom = 36;
        final int left = 70;
        final int right = WIDTH - 10;
        double maxY = 0;
        for (final double v : y)
        {
            maxY = Math.max(maxY, v);
        }
        maxY = maxY > 0 ? maxY : 1;
        final double minX = x.length > 0 ? x[0] : 0;
        final double spanX = x.length > 1 ? x[x.length - 1] - minX : 1;
        open(out, title, height);
        axes(out, left, top, right, height - bottom);
        for (int t = 0; t <= 4; t++)
        {
            final double v = maxY * t / 4;
            final double py = height - bottom - (height - top - bottom) * t / 4.0;
            text(out, left - 4, (int)py + 4, "end", format.apply(v));
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>",
                left, py, right, py));
        }
        text(out, left, height - bottom + 14, "start", HtmlReport.time(minX));
        text(out, right, height - bottom + 14, "end", HtmlReport.time(minX + spanX));
        text(out, (left + right) / 2, height - 4, "middle", "packet time (UTC)");
        final StringBuilder points = new StringBuilder();
        for (int i = 0; i < x.length; i++)
        {
            final double px = left + (right - left) * (x.length > 1 ? (x[i] - minX) / spanX : 0.5);
            final double py = height - bottom - (height - top - bottom) * y[i] / maxY;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        }
        if (x.length == 1)
        {
            final String[] p = points.toString().trim().split(",");
            out.append("<circle cx=\"").append(p[0]).append("\" cy=\"").append(p[1]).append("\" r=\"3\" fill=\"")
                .append(color).append("\"/>");
        }
        out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
            .append(points.toString().trim()).append("\"/>");
        out.append("</svg>");
    }

    static void open(final StringBuilder out, final String title, final int height)
    {
        out.append(String.format(Locale.ROOT, "<svg class=\"chart\" width=\"%d\" " +
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\"><title>%s</title>", WIDTH, height, WIDTH,
            height, HtmlReport.escape(title), HtmlReport.escape(title)));
    }

    static void axes(final StringBuilder out, final int left, final int top, final int right, final int bottom)
    {
        out.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"#444\"/>", left, top,
            bottom, right));
    }

    static void text(final StringBuilder out, final int x, final int y, final String anchor, final String text)
    {
        out.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
            .append("\">").append(HtmlReport.escape(text)).append("</text>");
    }
}
