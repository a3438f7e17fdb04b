package io.github.meshalloc.examples.story;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;

/**
 * Number formatting shared by every table: fixed locale, so output never depends on the machine.
 */
public final class Fmt {

    private Fmt() {
    }

    /** {@code 14753792} as {@code 14,753,792}. */
    public static String bytes(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Bytes as mebibytes with two decimals ({@code 14.07 MiB}). */
    public static String mib(long value) {
        return String.format(Locale.ROOT, "%.2f MiB", value / 1048576.0);
    }

    /** Bytes as kibibytes when whole ({@code 36 KiB}), else as bytes. */
    public static String kib(long value) {
        return value % 1024 == 0 ? (value / 1024) + " KiB" : bytes(value) + " B";
    }

    /**
     * One value per device, devices with equal values grouped: {@code 0: 14,790,656; 1-7: 14,753,792}, or
     * {@code 0-7: 0} when all agree.
     *
     * @param devices device ids to show, ascending
     * @param value   the value of a device
     */
    public static String perDevice(List<Integer> devices, IntToLongFunction value) {
        Map<Long, List<Integer>> groups = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        for (int d : devices) {
            long v = value.applyAsLong(d);
            if (!groups.containsKey(v)) {
                order.add(v);
            }
            groups.computeIfAbsent(v, k -> new ArrayList<>()).add(d);
        }
        List<String> parts = new ArrayList<>();
        for (long v : order) {
            parts.add(ranges(groups.get(v)) + ": " + bytes(v));
        }
        return String.join("; ", parts);
    }

    /** {@code [1,2,3,5]} as {@code 1-3,5}. */
    public static String ranges(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < ids.size()) {
            int j = i;
            while (j + 1 < ids.size() && ids.get(j + 1) == ids.get(j) + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(ids.get(i));
            if (j > i) {
                sb.append('-').append(ids.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
