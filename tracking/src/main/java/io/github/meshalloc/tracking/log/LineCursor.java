package io.github.meshalloc.tracking.log;

/**
 * A position in one log line with hand-written token readers (no regex, no backtracking): each reader either
 * consumes its token or throws {@link Mismatch} without moving. Used by {@link ServerLogParser}.
 */
final class LineCursor {

    /** Thrown when the line does not match; carries the reason, no stack trace (cheap). */
    static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;

        Mismatch(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String s;
    private final int end;
    private int pos;
    private IdFormat lastIdFormat = IdFormat.DECIMAL;

    LineCursor(String s, int pos) {
        this.s = s;
        this.end = s.length();
        this.pos = pos;
    }

    int pos() {
        return pos;
    }

    void reset(int to) {
        pos = to;
    }

    boolean atEnd() {
        return pos == end;
    }

    IdFormat lastIdFormat() {
        return lastIdFormat;
    }

    Mismatch fail(String reason) {
        return new Mismatch(reason + " at column " + (pos + 1));
    }

    boolean tryConsume(String literal) {
        if (s.startsWith(literal, pos)) {
            pos += literal.length();
            return true;
        }
        return false;
    }

    void expect(String literal) throws Mismatch {
        if (!s.startsWith(literal, pos)) {
            throw fail("expected '" + literal + "'");
        }
        pos += literal.length();
    }

    void expectEnd() throws Mismatch {
        if (pos != end) {
            throw fail("unexpected trailing text '" + s.substring(pos) + "'");
        }
    }

    String rest() {
        String r = s.substring(pos);
        pos = end;
        return r;
    }

    /** Characters up to (not including) {@code stop}, at least one. */
    String wordUntil(char stop) throws Mismatch {
        int i = s.indexOf(stop, pos);
        if (i <= pos) {
            throw fail("expected a word followed by '" + stop + "'");
        }
        String w = s.substring(pos, i);
        pos = i;
        return w;
    }

    /** Signed decimal that fits in an int. */
    int int32() throws Mismatch {
        long v = signedDecimal(19);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw fail("number " + v + " does not fit in a 32-bit int");
        }
        return (int) v;
    }

    /** Signed decimal that fits in a long. */
    long int64() throws Mismatch {
        return signedDecimal(19);
    }

    private long signedDecimal(int maxDigits) throws Mismatch {
        int start = pos;
        boolean negative = false;
        if (pos < end && s.charAt(pos) == '-') {
            negative = true;
            pos++;
        }
        int digitsStart = pos;
        while (pos < end && isDigit(s.charAt(pos))) {
            pos++;
        }
        int digits = pos - digitsStart;
        if (digits == 0) {
            pos = start;
            throw fail("expected a number");
        }
        if (digits > maxDigits) {
            pos = start;
            throw fail("number too long");
        }
        try {
            return Long.parseLong(s, start, pos, 10);
        } catch (NumberFormatException e) {
            pos = start;
            throw fail("number out of range");
        }
    }

    /** Unsigned decimal u64. */
    long u64() throws Mismatch {
        int start = pos;
        long v = 0;
        while (pos < end && isDigit(s.charAt(pos))) {
            pos++;
        }
        int digits = pos - start;
        if (digits == 0) {
            throw fail("expected an unsigned number");
        }
        if (digits <= 18) {
            for (int i = start; i < pos; i++) {
                v = v * 10 + (s.charAt(i) - '0');
            }
            return v;
        }
        try {
            return Long.parseUnsignedLong(s, start, pos, 10);
        } catch (NumberFormatException e) {
            pos = start;
            throw fail("unsigned number exceeds 64 bits");
        }
    }

    /** Hex digits (1..16) after an already consumed "0x". */
    long hexDigits() throws Mismatch {
        int start = pos;
        long v = 0;
        while (pos < end && pos - start < 17) {
            int d = Character.digit(s.charAt(pos), 16);
            if (d < 0) {
                break;
            }
            v = (v << 4) | d;
            pos++;
        }
        int digits = pos - start;
        if (digits == 0 || digits > 16) {
            pos = start;
            throw fail(digits == 0 ? "expected hex digits" : "hex number exceeds 64 bits");
        }
        return v;
    }

    /** "0x" + hex or unsigned decimal; records which in {@link #lastIdFormat()}. */
    long id() throws Mismatch {
        if (tryConsume("0x")) {
            lastIdFormat = IdFormat.HEX;
            return hexDigits();
        }
        lastIdFormat = IdFormat.DECIMAL;
        return u64();
    }

    /** "0x" + hex. */
    long hexId() throws Mismatch {
        expect("0x");
        return hexDigits();
    }

    /** A {@code %g} figure: optional sign, digits, point, exponent. */
    double g() throws Mismatch {
        int start = pos;
        if (pos < end && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
            pos++;
        }
        boolean digit = false;
        while (pos < end) {
            char c = s.charAt(pos);
            if (isDigit(c)) {
                digit = true;
                pos++;
            } else if (c == '.') {
                pos++;
            } else if ((c == 'e' || c == 'E') && digit) {
                pos++;
                if (pos < end && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
            } else {
                break;
            }
        }
        if (!digit) {
            pos = start;
            throw fail("expected a number");
        }
        try {
            return Double.parseDouble(s.substring(start, pos));
        } catch (NumberFormatException e) {
            String text = s.substring(start, pos);
            pos = start;
            throw fail("malformed number '" + text + "'");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
