package io.xcomhybrid.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.core.io.schubfach.FloatToDecimal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Python's {@code repr(float)}, which {@code json.dumps} uses for every float.
 *
 * <p>Python writes the shortest decimal that parses back to the same double (the closest one when several have
 * that length), in fixed notation when the decimal exponent is in {@code [-4, 16)} and in exponent form otherwise
 * ({@code 1e+16}, {@code 1.5e-05}). JDK 17's {@link Double#toString} is not shortest; Jackson's Schubfach
 * ({@link DoubleToDecimal}) is, except that it may answer with two digits where one digit suffices (its spec picks
 * the closest of the one- and two-digit candidates, e.g. {@code 4.9E-324} where Python writes {@code 5e-324}),
 * which {@link #repr(double)} corrects.
 */
public final class PythonFloats
{
    private PythonFloats() {}

    private static final long FEW_DIGITS_MASK = (1L << 56) - 1;
    private static final double[] POWERS_OF_TEN = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** The most bytes {@link #write} writes: {@code -1.7976931348623157e+308} is 24; its scratch space needs 8 more. */
    static final int MAX_WRITTEN = 40;

    /** {@code repr(value)} as Python writes it, with {@code NaN}, {@code Infinity} and {@code -Infinity} as json.dumps spells them. */
    public static String repr(double value)
    {
        byte[] text = new byte[MAX_WRITTEN];
        return new String(text, 0, write(value, text, 0), StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@link #repr} as ASCII into {@code out} at {@code position}, which must have {@link #MAX_WRITTEN} bytes
     * free, and returns the position after it. The JSON writer's path: no String but Schubfach's own is made.
     */
    static int write(double value, byte[] out, int position)
    {
        if (Double.isNaN(value)) {
            return ascii("NaN", out, position);
        }
        if (Double.isInfinite(value)) {
            return ascii(value > 0 ? "Infinity" : "-Infinity", out, position);
        }
        if (value == 0) {
            return ascii(Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0", out, position);
        }
        int at = position;
        if (value < 0) {
            out[at++] = '-';
            value = -value;
        }
        // the digits go to scratch space 8 bytes on, then move left into place (System.arraycopy allows the overlap)
        int digitsAt = at + 8;
        int count;
        int decpt;
        long fewDigits = fewDigits(value);
        if (fewDigits != 0) {
            int scale = (byte) (fewDigits >>> 56);
            count = NumberOutput.outputLong(fewDigits & FEW_DIGITS_MASK, out, digitsAt) - digitsAt;
            decpt = count - scale;
        }
        else if (value < Double.MIN_NORMAL && significantDigits(DoubleToDecimal.toString(value)) == 2 && oneDigit(value) != null) {
            // only a subnormal's rounding interval is wide enough to hold a one-digit decimal beside Schubfach's two
            Decimal one = oneDigit(value);
            count = ascii(one.digits, out, digitsAt) - digitsAt;
            decpt = one.decpt;
        }
        else {
            long parsed = parse(DoubleToDecimal.toString(value), out, digitsAt);
            count = (int) (parsed >>> 32);
            decpt = (int) parsed;
        }
        if (decpt <= -4 || decpt > 16) {
            out[at++] = out[digitsAt];
            if (count > 1) {
                out[at++] = '.';
                System.arraycopy(out, digitsAt + 1, out, at, count - 1);
                at += count - 1;
            }
            int exponent = decpt - 1;
            out[at++] = 'e';
            out[at++] = (byte) (exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs >= 100) {
                out[at++] = (byte) ('0' + abs / 100);
            }
            out[at++] = (byte) ('0' + abs / 10 % 10);
            out[at++] = (byte) ('0' + abs % 10);
        }
        else if (decpt <= 0) {
            out[at++] = '0';
            out[at++] = '.';
            for (int i = decpt; i < 0; i++) {
                out[at++] = '0';
            }
            System.arraycopy(out, digitsAt, out, at, count);
            at += count;
        }
        else if (decpt >= count) {
            System.arraycopy(out, digitsAt, out, at, count);
            at += count;
            for (int i = count; i < decpt; i++) {
                out[at++] = '0';
            }
            out[at++] = '.';
            out[at++] = '0';
        }
        else {
            System.arraycopy(out, digitsAt, out, at, decpt);
            at += decpt;
            System.arraycopy(out, digitsAt + decpt, out, at + 1, count - decpt);
            out[at++] = '.';
            at += count - decpt;
        }
        return at;
    }

    /**
     * The shortest decimal of {@code positive} when it has at most 14 significant digits (prices, measurements,
     * counts), without Schubfach: {@code digits | (byte) scale << 56} with value = digits * 10^-scale and no trailing
     * zero in digits, or 0 when the value is out of range or needs more digits.
     *
     * <p>Why it is exact: M = round(v * 10^k), with k chosen so that M < 10^15 + 1, is the nearest point of the decimal
     * grid of spacing 10^-k (v * 10^k is off by at most 0.07 after its rounding, and a grid point that parses back to
     * v is within 0.12 of v * 10^k). v's rounding interval is at most 2^-52 * v wide, under a quarter of the spacing,
     * so at most one grid point parses back to v; M / 10^k, both exact doubles (M < 2^53, k <= 22), is rounded as
     * Double.parseDouble rounds M * 10^-k, so the comparison tells whether M does. Every shorter decimal is on the
     * grid too, so M without trailing zeros is the shortest, and the only one of its length.
     */
    private static long fewDigits(double positive)
    {
        if (positive < 1e-9 || positive >= 1e14) {
            return 0;
        }
        // t = floor(log10(2^exponent)), so that 10^t <= v < 10^(t + 2) and 10^13 <= v * 10^(13 - t) < 10^15
        int t = (Math.getExponent(positive) * 78913) >> 18;
        int scale = 13 - t;
        if (scale < 0 || scale > 22) {
            return 0;
        }
        double power = POWERS_OF_TEN[scale];
        long digits = Math.round(positive * power);
        if (digits / power != positive) {
            return 0;
        }
        // at most 15 trailing zeros (digits <= 10^15): 8, 4, 2 and 1 of them take them all
        if (digits % 100_000_000 == 0) {
            digits /= 100_000_000;
            scale -= 8;
        }
        if (digits % 10_000 == 0) {
            digits /= 10_000;
            scale -= 4;
        }
        if (digits % 100 == 0) {
            digits /= 100;
            scale -= 2;
        }
        if (digits % 10 == 0) {
            digits /= 10;
            scale--;
        }
        return digits | (long) (scale & 0xff) << 56;
    }

    private static int ascii(String text, byte[] out, int position)
    {
        for (int i = 0; i < text.length(); i++) {
            out[position + i] = (byte) text.charAt(i);
        }
        return position + text.length();
    }

    /**
     * The double a Java {@code float} stands for in Python, which has no single precision: the double nearest to the
     * float's shortest decimal, so {@code 0.1f} becomes {@code 0.1} (not {@code 0.10000000149011612}).
     */
    public static double widen(float value)
    {
        if (Float.isNaN(value) || Float.isInfinite(value) || value == 0) {
            return value;
        }
        return Double.parseDouble(FloatToDecimal.toString(value));
    }

    /** Digits without leading or trailing zeros, and the decimal point position: value = 0.DIGITS * 10^decpt. */
    private record Decimal(String digits, int decpt) {}

    /** The number of digits of a Java double string without leading and trailing zeros. */
    private static int significantDigits(String java)
    {
        int first = -1;
        int last = -1;
        for (int i = 0; i < java.length(); i++) {
            char c = java.charAt(i);
            if (c == 'E') {
                break;
            }
            if (c >= '1' && c <= '9') {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        int digits = last - first + 1;
        int dot = java.indexOf('.');
        return first < dot && dot < last ? digits - 1 : digits;
    }

    /** The closest one-digit decimal that parses back to {@code positive}, or null if none does. */
    private static Decimal oneDigit(double positive)
    {
        BigDecimal exact = new BigDecimal(positive);
        MathContext down = new MathContext(1, RoundingMode.FLOOR);
        MathContext up = new MathContext(1, RoundingMode.CEILING);
        BigDecimal best = null;
        for (BigDecimal candidate : new BigDecimal[] {exact.round(down), exact.round(up)}) {
            if (candidate.signum() == 0 || Double.parseDouble(candidate.toString()) != positive) {
                continue;
            }
            if (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) {
                best = candidate;
            }
        }
        if (best == null) {
            return null;
        }
        // one significant digit d * 10^-scale == 0.d * 10^(1 - scale)
        BigDecimal stripped = best.stripTrailingZeros();
        return new Decimal(stripped.unscaledValue().toString(), 1 - stripped.scale());
    }

    /**
     * Parses Java's forms ({@code 123.45}, {@code 0.00123}, {@code 1.2345E-5}, {@code 1.0E16}) into the digits
     * without leading or trailing zeros, written at {@code position}, and the decimal point position (value =
     * 0.DIGITS * 10^decpt): returns {@code count << 32 | decpt}.
     */
    private static long parse(String java, byte[] out, int position)
    {
        int count = 0;
        int decpt = 0;
        boolean seenDot = false;
        int exponent = 0;
        int length = java.length();
        for (int i = 0; i < length; i++) {
            char c = java.charAt(i);
            if (c == '.') {
                seenDot = true;
            }
            else if (c == 'E') {
                exponent = Integer.parseInt(java, i + 1, length, 10);
                break;
            }
            else if (c == '0' && count == 0) {
                // leading zero: moves the decimal point only when it is after the dot
                if (seenDot) {
                    decpt--;
                }
            }
            else {
                out[position + count++] = (byte) c;
                if (!seenDot) {
                    decpt++;
                }
            }
        }
        while (out[position + count - 1] == '0') {
            count--;
        }
        return ((long) count << 32) | ((decpt + exponent) & 0xffffffffL);
    }
}
