package io.github.meshalloc.tracking.log;

import com.google.common.base.Preconditions;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C/C++ number formatting as the server and monitor print it.
 *
 * <p>Models {@code std::ostream << double} with default flags (identical to printf {@code %g}, precision 6) used by
 * every MB/KB figure of {@code MUM/allocation_server_poc.cpp}, and {@code std::fixed << std::setprecision(n)}
 * (printf {@code %.nf}) used by {@code format_bytes} and the percentage of {@code MUM/allocation_monitor_client.cpp}
 * (reference sections 4 and 7). glibc rounds the exact binary value of the double, ties to even; this class does the
 * same through {@link BigDecimal}, so results match glibc digit for digit (Java's own {@code %g}/{@code %f} round
 * half-up on a shortest decimal and differ in edge cases).
 */
public final class GFormat {

    private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);
    private static final double MIB = 1024.0 * 1024.0;

    private GFormat() {
    }

    /**
     * printf {@code %g} with precision 6: round to 6 significant digits; scientific form {@code d.ddddde±XX} when the
     * decimal exponent after rounding is below -4 or at least 6; trailing zeros and a trailing point removed.
     * Examples: 4096, 14408, 0.199219, 0.0546875 → 0.0546875, 4194304/1024 → 4096, 4 GiB/1024 → 4.1943e+06.
     */
    public static String g(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0.0) {
            return 1.0 / x < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(x).round(SIX_DIGITS);
        int exponent = rounded.precision() - rounded.scale() - 1;
        BigDecimal stripped = rounded.stripTrailingZeros();
        StringBuilder sb = new StringBuilder(16);
        if (exponent < -4 || exponent >= 6) {
            String digits = stripped.unscaledValue().abs().toString();
            if (stripped.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
            return sb.toString();
        }
        if (stripped.scale() < 0) {
            stripped = stripped.setScale(0);
        }
        return stripped.toPlainString();
    }

    /**
     * printf {@code %.Nf}: fixed notation with exactly {@code decimals} digits after the point, rounding the exact
     * binary value half-to-even (so 0.125 gives "0.12" at two decimals, as glibc does).
     *
     * @throws IllegalArgumentException if {@code decimals} is negative or above 20
     */
    public static String fixed(double x, int decimals) {
        Preconditions.checkArgument(decimals >= 0 && decimals <= 20,
                "decimals is %s; allowed 0..20", decimals);
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = x < 0 || (x == 0.0 && 1.0 / x < 0);
        if (negative && s.charAt(0) != '-') {
            s = "-" + s;
        }
        return s;
    }

    /**
     * The double nearest to an unsigned 64-bit value (C++ {@code static_cast<double>(uint64_t)} or the implicit
     * conversion in {@code uint64 / 1024.0}), round-to-nearest-even.
     */
    public static double unsignedToDouble(long value) {
        if (value >= 0) {
            return value;
        }
        // Halve keeping a sticky bit, convert (rounds once, correctly), double back: exact power-of-two scaling.
        return ((double) ((value >>> 1) | (value & 1L))) * 2.0;
    }

    /** Bytes as MB the way the server prints them: {@code g(bytes / 1048576.0)} with the bytes unsigned. */
    public static String mb(long bytes) {
        return g(unsignedToDouble(bytes) / MIB);
    }

    /** Bytes as KB the way the server prints them: {@code g(bytes / 1024.0)} with the bytes unsigned. */
    public static String kb(long bytes) {
        return g(unsignedToDouble(bytes) / 1024.0);
    }

    /** Unsigned bytes / 1048576.0 as a double, canonicalised with {@link #canonical(double)}. */
    public static double mbValue(long bytes) {
        return canonical(unsignedToDouble(bytes) / MIB);
    }

    /** Unsigned bytes / 1024.0 as a double, canonicalised with {@link #canonical(double)}. */
    public static double kbValue(long bytes) {
        return canonical(unsignedToDouble(bytes) / 1024.0);
    }

    /**
     * The double that {@link #g(double)} text of {@code x} parses back to. {@code g(canonical(x))} equals
     * {@code g(x)}; log events hold canonical values so that a parsed line equals the event that produced it.
     */
    public static double canonical(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return Double.parseDouble(g(x));
    }
}
