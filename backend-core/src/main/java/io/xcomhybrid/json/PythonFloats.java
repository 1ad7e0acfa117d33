package io.xcomhybrid.json;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.core.io.schubfach.FloatToDecimal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

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

    /** {@code repr(value)} as Python writes it, with {@code NaN}, {@code Infinity} and {@code -Infinity} as json.dumps spells them. */
    public static String repr(double value)
    {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0.0" : "0.0";
        }
        Decimal decimal = shortest(Math.abs(value));
        StringBuilder out = new StringBuilder(32);
        if (value < 0) {
            out.append('-');
        }
        String digits = decimal.digits;
        int decpt = decimal.decpt;
        if (decpt <= -4 || decpt > 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        else if (decpt <= 0) {
            out.append("0.");
            out.append("0".repeat(-decpt));
            out.append(digits);
        }
        else if (decpt >= digits.length()) {
            out.append(digits);
            out.append("0".repeat(decpt - digits.length()));
            out.append(".0");
        }
        else {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return out.toString();
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

    private static Decimal shortest(double positive)
    {
        Decimal decimal = parse(DoubleToDecimal.toString(positive));
        if (decimal.digits.length() == 2) {
            Decimal one = oneDigit(positive);
            if (one != null) {
                return one;
            }
        }
        return decimal;
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

    private static Decimal parse(String java)
    {
        // Java's forms: "123.45", "0.00123", "1.2345E-5", "1.0E16"
        char[] digits = new char[java.length()];
        int count = 0;
        int decpt = 0;
        boolean seenDot = false;
        int exponent = 0;
        for (int i = 0; i < java.length(); i++) {
            char c = java.charAt(i);
            if (c == '.') {
                seenDot = true;
            }
            else if (c == 'E') {
                exponent = Integer.parseInt(java, i + 1, java.length(), 10);
                break;
            }
            else if (c == '0' && count == 0) {
                // leading zero: moves the decimal point only when it is before the dot
                if (seenDot) {
                    decpt--;
                }
            }
            else {
                digits[count++] = c;
                if (!seenDot) {
                    decpt++;
                }
            }
        }
        while (digits[count - 1] == '0') {
            count--;
        }
        return new Decimal(new String(digits, 0, count), decpt + exponent);
    }
}
