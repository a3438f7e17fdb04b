package io.github.meshalloc.examples.timeline;

import io.github.meshalloc.examples.story.Fmt;
import io.github.meshalloc.tracking.server.DeviceCounters;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@link TimelineData} (and optionally a {@link MemoryMap}) as one self-contained HTML page: inline CSS,
 * inline SVG, no script, no font or network reference. The markup is also well-formed XML (XHTML namespace, only
 * the five XML entities), so it can be checked with any XML parser.
 *
 * <p>Each plotted line carries {@code data-device}, {@code data-counter}, {@code data-final} and {@code data-max}
 * attributes with the exact byte values it draws, so tests and scripts can read what was plotted.
 */
public final class TimelineHtml {

    private static final int WIDTH = 1300;
    private static final int HEIGHT = 250;
    private static final int LEFT = 96;
    private static final int RIGHT = 24;
    private static final int TOP = 24;
    private static final int BOTTOM = 44;
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
        "#17becf", "#bcbd22"};
    private static final int MAX_LISTED = 60;

    private TimelineHtml() {
    }

    /** The page. */
    public static String render(TimelineData data, Optional<MemoryMap> map, String mapNote) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>").append(esc(data.title())).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:sans-serif;margin:16px 24px;color:#222;background:#fff}\n")
                .append("h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 4px}\n")
                .append("p{margin:4px 0;font-size:13px}table{border-collapse:collapse;font-size:12px}\n")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}\n")
                .append("td.l,th.l{text-align:left}tr.leak td{background:#fde0dc}\n")
                .append("svg text{font-family:sans-serif;font-size:11px;fill:#333}\n")
                .append(".legend span{display:inline-block;margin-right:14px;font-size:12px}\n")
                .append(".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}\n")
                .append("</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(esc(data.title())).append("</h1>\n");
        sb.append("<p>Server ").append(data.version()).append(", ").append(Fmt.bytes(data.events()))
                .append(" ALLOC/FREE/sweep events replayed into a fresh server model. ")
                .append(Fmt.bytes(data.leaks().size()))
                .append(" allocations still live after the last event are marked in red.</p>\n");
        legend(sb);
        boolean first = true;
        for (Map.Entry<BufferTypeCode.Counter, String> c : TimelineData.counterNames().entrySet()) {
            List<TimelineData.Series> series = data.series().stream().filter(s -> s.counter() == c.getKey()).toList();
            if (series.isEmpty() && c.getKey() != BufferTypeCode.Counter.DRAM) {
                continue;
            }
            sb.append("<h2>").append(c.getValue()).append(" bytes per device over the event sequence</h2>\n");
            chart(sb, data, c.getKey(), series);
            if (first) {
                sb.append("<h2>Memory map</h2>\n");
                if (map.isPresent()) {
                    memoryMap(sb, map.get());
                } else {
                    sb.append("<p>").append(esc(mapNote)).append("</p>\n");
                }
                first = false;
            }
        }
        leaks(sb, data);
        finals(sb, data);
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void legend(StringBuilder sb) {
        sb.append("<p class=\"legend\">");
        for (int d = 0; d < COLORS.length; d++) {
            sb.append("<span><span class=\"sw\" style=\"background:").append(COLORS[d]).append("\"></span>device ")
                    .append(d).append("</span>");
        }
        sb.append("<span><span class=\"sw\" style=\"background:#d62728\"></span>ALLOC of a leaked allocation</span>");
        sb.append("</p>\n");
    }

    private static void chart(StringBuilder sb, TimelineData data, BufferTypeCode.Counter counter,
                              List<TimelineData.Series> series) {
        long xMax = Math.max(1, data.events());
        long yMax = 1;
        for (TimelineData.Series s : series) {
            yMax = Math.max(yMax, s.max());
        }
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" data-counter=\"").append(counter).append("\">\n");
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"#fafafa\" stroke=\"#999\"/>\n");
        for (int i = 0; i <= 4; i++) {
            long value = yMax * i / 4;
            double y = TOP + plotH - (double) plotH * i / 4;
            sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"")
                    .append(num(y)).append("\" y2=\"").append(num(y)).append("\" stroke=\"#e3e3e3\"/>\n");
            sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(esc(axisBytes(value))).append("</text>\n");
        }
        for (int i = 0; i <= 5; i++) {
            long value = xMax * i / 5;
            double x = LEFT + (double) plotW * i / 5;
            sb.append("<text x=\"").append(num(x)).append("\" y=\"").append(TOP + plotH + 16)
                    .append("\" text-anchor=\"middle\">").append(Fmt.bytes(value)).append("</text>\n");
        }
        sb.append("<text x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(HEIGHT - 6)
                .append("\" text-anchor=\"middle\">event</text>\n");
        int row = 0;
        for (TimelineData.Marker m : data.markers()) {
            double x = LEFT + (double) plotW * m.event() / xMax;
            boolean right = x > LEFT + plotW - 60;
            sb.append("<line x1=\"").append(num(x)).append("\" x2=\"").append(num(x)).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#888\" stroke-dasharray=\"3,3\"/>\n");
            sb.append("<text x=\"").append(num(right ? x - 3 : x + 3)).append("\" y=\"").append(TOP + 12 + 12 * (row++ % 2))
                    .append(right ? "\" text-anchor=\"end\">" : "\">").append(esc(m.label())).append("</text>\n");
        }
        for (TimelineData.Series s : series) {
            sb.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(COLORS[s.device() % 8])
                    .append("\" data-device=\"").append(s.device()).append("\" data-counter=\"").append(counter)
                    .append("\" data-final=\"").append(s.last()).append("\" data-max=\"").append(s.max())
                    .append("\" points=\"");
            List<double[]> pts = stepPoints(s, xMax, yMax, plotW, plotH);
            for (int i = 0; i < pts.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(num(pts.get(i)[0])).append(',').append(num(pts.get(i)[1]));
            }
            sb.append("\"><title>device ").append(s.device()).append(' ').append(counter).append(": final ")
                    .append(Fmt.bytes(s.last())).append(" B, peak ").append(Fmt.bytes(s.max()))
                    .append(" B</title></polyline>\n");
        }
        int listed = 0;
        for (TimelineData.Leak leak : data.leaks()) {
            if (BufferTypeCode.ofCode(leak.type()).counter() != counter) {
                continue;
            }
            double x = LEFT + (double) plotW * Math.min(leak.allocEvent(), xMax) / xMax;
            sb.append("<line x1=\"").append(num(x)).append("\" x2=\"").append(num(x)).append("\" y1=\"")
                    .append(TOP + plotH - 8).append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#d62728\" "
                            + "stroke-width=\"2\" data-leak=\"").append(leak.device()).append(':')
                    .append(leak.bufferId()).append("\"><title>leaked: device ").append(leak.device())
                    .append(" buffer 0x").append(Long.toHexString(leak.bufferId())).append(' ')
                    .append(esc(leak.name())).append(", ").append(Fmt.bytes(leak.size())).append(" B</title></line>\n");
            if (++listed >= 2000) {
                break;
            }
        }
        sb.append("</svg>\n");
    }

    /** Step-shaped points; long series are reduced to the last and largest value per pixel column. */
    private static List<double[]> stepPoints(TimelineData.Series s, long xMax, long yMax, int plotW, int plotH) {
        List<double[]> out = new ArrayList<>();
        long[] xs = s.xs();
        long[] ys = s.bytes();
        boolean reduce = xs.length > 4L * plotW;
        double prevY = TOP + plotH;
        int lastColumn = -1;
        for (int i = 0; i < xs.length; i++) {
            double x = LEFT + (double) plotW * xs[i] / xMax;
            double y = TOP + plotH - (double) plotH * ys[i] / yMax;
            if (reduce) {
                int column = (int) (x - LEFT);
                if (column == lastColumn && i != xs.length - 1) {
                    double[] tail = out.get(out.size() - 1);
                    tail[1] = Math.min(tail[1], y);
                    prevY = y;
                    continue;
                }
                lastColumn = column;
            }
            out.add(new double[] {x, prevY});
            out.add(new double[] {x, y});
            prevY = y;
        }
        out.add(new double[] {LEFT + plotW, prevY});
        return out;
    }

    private static void leaks(StringBuilder sb, TimelineData data) {
        sb.append("<h2>Leaked allocations (live after the last event): ").append(Fmt.bytes(data.leaks().size()))
                .append("</h2>\n");
        if (data.leaks().isEmpty()) {
            sb.append("<p>None: the server's registry is empty at the end.</p>\n");
            return;
        }
        sb.append("<table>\n<tr><th>device</th><th>buffer_id</th><th class=\"l\">what</th><th>type</th>"
                + "<th>bytes</th><th>ALLOC at event</th></tr>\n");
        int n = 0;
        for (TimelineData.Leak l : data.leaks()) {
            if (n++ == MAX_LISTED) {
                sb.append("<tr><td class=\"l\" colspan=\"6\">... ").append(data.leaks().size() - MAX_LISTED)
                        .append(" more</td></tr>\n");
                break;
            }
            sb.append("<tr class=\"leak\"><td>").append(l.device()).append("</td><td>0x")
                    .append(Long.toHexString(l.bufferId())).append("</td><td class=\"l\">").append(esc(l.name()))
                    .append("</td><td>").append(BufferTypeCode.ofCode(l.type()).logName()).append("</td><td>")
                    .append(Fmt.bytes(l.size())).append("</td><td>").append(Fmt.bytes(l.allocEvent()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void memoryMap(StringBuilder sb, MemoryMap map) {
        sb.append("<p>").append(map.type()).append(" bank of device ").append(map.device()).append(" at step ")
                .append(map.step()).append(": ").append(Fmt.bytes(map.size())).append(" allocatable bytes from 0x")
                .append(Long.toHexString(map.base())).append(". Blue: mesh allocator (same offset on every chip), "
                        + "green: chip allocator, red: range held by a Buffer already marked DEALLOCATED.</p>\n");
        int plotW = WIDTH - LEFT - RIGHT;
        int h = 150;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(h).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(h).append("\">\n");
        sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"34\" text-anchor=\"end\">to scale</text>\n");
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"20\" width=\"").append(plotW)
                .append("\" height=\"24\" fill=\"#eee\" stroke=\"#999\"/>\n");
        for (MemoryMap.Block b : map.blocks()) {
            if (!b.allocated()) {
                continue;
            }
            double x = LEFT + (double) plotW * (b.address() - map.base()) / Math.max(1, map.size());
            double w = Math.max(1.5, (double) plotW * b.size() / Math.max(1, map.size()));
            sb.append("<rect x=\"").append(num(x)).append("\" y=\"20\" width=\"").append(num(w))
                    .append("\" height=\"24\" fill=\"").append(color(b)).append("\"><title>")
                    .append(esc(title(b))).append("</title></rect>\n");
        }
        sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"94\" text-anchor=\"end\">blocks</text>\n");
        double total = 0;
        for (MemoryMap.Block b : map.blocks()) {
            total += weight(b);
        }
        double x = LEFT;
        for (MemoryMap.Block b : map.blocks()) {
            double w = plotW * weight(b) / Math.max(1, total);
            sb.append("<rect x=\"").append(num(x)).append("\" y=\"72\" width=\"").append(num(Math.max(1, w - 1)))
                    .append("\" height=\"36\" fill=\"").append(color(b)).append("\" stroke=\"#fff\"><title>")
                    .append(esc(title(b))).append("</title></rect>\n");
            if (w > 60) {
                sb.append("<text x=\"").append(num(x + 3)).append("\" y=\"124\">")
                        .append(esc(shorten(b.name(), (int) (w / 6)))).append("</text>\n");
                sb.append("<text x=\"").append(num(x + 3)).append("\" y=\"138\">").append(esc(Fmt.kib(b.size())))
                        .append("</text>\n");
            }
            x += w;
        }
        sb.append("</svg>\n");
        sb.append("<p>Lower strip not to scale (width grows with the logarithm of the size).</p>\n");
        sb.append("<table>\n<tr><th>bank address</th><th>bytes per bank</th><th class=\"l\">owner</th>"
                + "<th class=\"l\">what</th><th class=\"l\">state</th></tr>\n");
        for (MemoryMap.Block b : map.blocks()) {
            sb.append(b.leaked() ? "<tr class=\"leak\">" : "<tr>").append("<td>0x").append(Long.toHexString(b.address()))
                    .append("</td><td>").append(Fmt.bytes(b.size())).append("</td><td class=\"l\">")
                    .append(b.allocated() ? b.owner() : "").append("</td><td class=\"l\">").append(esc(b.name()))
                    .append("</td><td class=\"l\">").append(!b.allocated() ? "free" : b.leaked()
                            ? "leaked (marked DEALLOCATED, range held)" : "allocated").append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void finals(StringBuilder sb, TimelineData data) {
        sb.append("<h2>Counters after the last event (what the lines end at)</h2>\n<table>\n<tr><th>device</th>"
                + "<th>buffers</th><th>DRAM</th><th>L1</th><th>L1_SMALL</th><th>TRACE</th></tr>\n");
        for (int d = 0; d < data.finals().size(); d++) {
            DeviceCounters c = data.finals().get(d);
            sb.append("<tr data-device=\"").append(d).append("\"><td>").append(d).append("</td><td>")
                    .append(Fmt.bytes(c.numBuffers())).append("</td><td>").append(Fmt.bytes(c.dram())).append("</td><td>")
                    .append(Fmt.bytes(c.l1())).append("</td><td>").append(Fmt.bytes(c.l1Small())).append("</td><td>")
                    .append(Fmt.bytes(c.trace())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static double weight(MemoryMap.Block b) {
        return 1 + Math.log(1 + b.size()) / Math.log(2);
    }

    private static String color(MemoryMap.Block b) {
        if (!b.allocated()) {
            return "#dddddd";
        }
        if (b.leaked()) {
            return "#d62728";
        }
        return "mesh".equals(b.owner()) ? "#1f77b4" : "#2ca02c";
    }

    private static String title(MemoryMap.Block b) {
        return (b.allocated() ? b.owner() + ": " + b.name() : "free") + " at 0x" + Long.toHexString(b.address())
                + ", " + Fmt.bytes(b.size()) + " B per bank" + (b.leaked() ? " (leaked)" : "");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }

    private static String axisBytes(long value) {
        return value >= 1 << 20 ? Fmt.mib(value) : value >= 1024 ? String.format(Locale.ROOT, "%.1f KiB",
                value / 1024.0) : value + " B";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Escapes text for XML content and attributes. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
