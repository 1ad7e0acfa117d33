package io.xcomhybrid.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** repr(float) against CPython for 10,000 random doubles, every power of two and the decimal boundaries (doubles.txt). */
class TestPythonFloats
{
    @Test
    void matchesPythonReprAndRoundTrips()
    {
        List<String> lines = Vectors.lines("doubles.txt");
        assertThat(lines).hasSizeGreaterThan(10_000);
        List<String> mismatches = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            double value = Double.parseDouble(parts[0]);
            String repr = PythonFloats.repr(value);
            if (!repr.equals(parts[1])) {
                mismatches.add(parts[0] + ": expected " + parts[1] + " but was " + repr);
            }
            if (Double.doubleToRawLongBits(Double.parseDouble(repr)) != Double.doubleToRawLongBits(value)) {
                mismatches.add(parts[0] + ": " + repr + " does not parse back");
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void formats()
    {
        assertThat(PythonFloats.repr(1e16)).isEqualTo("1e+16");
        assertThat(PythonFloats.repr(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(PythonFloats.repr(1e-5)).isEqualTo("1e-05");
        assertThat(PythonFloats.repr(1e-4)).isEqualTo("0.0001");
        assertThat(PythonFloats.repr(1000000000000000.0)).isEqualTo("1000000000000000.0");
        assertThat(PythonFloats.repr(100000.0)).isEqualTo("100000.0");
        assertThat(PythonFloats.repr(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(PythonFloats.repr(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(PythonFloats.repr(-0.0)).isEqualTo("-0.0");
        assertThat(PythonFloats.repr(Double.NaN)).isEqualTo("NaN");
        assertThat(PythonFloats.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(PythonFloats.repr(-1.0 / 3)).isEqualTo("-0.3333333333333333");
    }

    @Test
    void widensFloatThroughItsShortestDecimal()
    {
        assertThat(PythonFloats.widen(0.1f)).isEqualTo(0.1);
        assertThat(PythonFloats.widen(1e-45f)).isEqualTo(1.4e-45);
        assertThat(PythonFloats.widen(Float.MAX_VALUE)).isEqualTo(3.4028235e38);
        assertThat(PythonFloats.widen(-0.0f)).isEqualTo(-0.0);
        assertThat(PythonFloats.widen(Float.NaN)).isNaN();
        assertThat(PythonFloats.widen(16777216f)).isEqualTo(16777216.0);
    }

    /**
     * Decimals of 1 to 17 significant digits around every exponent the writer formats without Schubfach (1e-9 to
     * 1e14) and beyond: repr must be Python's choice, checked against the definition: it parses back, no decimal
     * with one digit less does, and neither neighbour at its last digit that parses back is closer.
     */
    @Test
    void shortestAndClosestForDecimalsOfFewDigits()
    {
        SplittableRandom random = new SplittableRandom(7);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            StringBuilder digits = new StringBuilder().append(random.nextInt(1, 10));
            int count = random.nextInt(1, 18);
            for (int j = 1; j < count; j++) {
                digits.append(random.nextInt(10));
            }
            double value = Double.parseDouble(digits + "e" + random.nextInt(-12, 17));
            String repr = PythonFloats.repr(value);
            String problem = checkShortestAndClosest(value, repr);
            if (problem != null) {
                failures.add(value + " -> " + repr + ": " + problem);
            }
        }
        assertThat(failures).isEmpty();
    }

    private static String checkShortestAndClosest(double value, String repr)
    {
        if (Double.parseDouble(repr) != value) {
            return "does not parse back";
        }
        BigDecimal written = new BigDecimal(repr);
        BigDecimal exact = new BigDecimal(value);
        int precision = written.stripTrailingZeros().precision();
        if (precision > 1) {
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal shorter = exact.round(new MathContext(precision - 1, mode));
                if (Double.parseDouble(shorter.toString()) == value) {
                    return "the shorter " + shorter + " parses back too";
                }
            }
        }
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-written.stripTrailingZeros().scale());
        for (BigDecimal neighbour : new BigDecimal[] {written.subtract(unit), written.add(unit)}) {
            if (neighbour.signum() > 0 && Double.parseDouble(neighbour.toString()) == value
                    && neighbour.subtract(exact).abs().compareTo(written.subtract(exact).abs()) < 0) {
                return "the closer " + neighbour + " parses back too";
            }
        }
        return null;
    }
}
