package io.xcomhybrid.compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomhybrid.compat.AirflowHarness.AirflowVersion;
import io.xcomhybrid.json.XComJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random values written by {@link XComJson} against the real {@code json.dumps} of each Airflow virtualenv's Python
 * ({@code compat/python/json_dumps.py}): doubles from every corner (any bit pattern, subnormals with few significant
 * bits, one- and two-digit decimals at every exponent, the repr notation boundaries, integers near 2^53), strings of
 * random UTF-16 code units (controls, DEL, quotes, backslashes, non-ASCII, surrogate pairs, lone surrogates) and
 * nested lists and dicts with str, int, float, bool and None keys. The seed is random; a failure names it, and
 * {@code -Dxcom.test.seed=N} repeats it.
 */
class JsonDumpsDifferentialTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final XComJson JSON = XComJson.standard();
    private static final int DOUBLES = 200_000;
    private static final int STRINGS = 20_000;
    private static final int STRUCTURES = 3_000;

    @ParameterizedTest
    @EnumSource(AirflowVersion.class)
    void writesWhatJsonDumpsWrites(AirflowVersion version)
            throws Exception
    {
        long seed = Long.getLong("xcom.test.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        List<Object> values = new ArrayList<>();
        List<Object> descriptions = new ArrayList<>();
        for (int i = 0; i < DOUBLES; i++) {
            double value = randomDouble(random);
            values.add(value);
            descriptions.add(describe(value));
        }
        for (int i = 0; i < STRINGS; i++) {
            String value = randomString(random, 24);
            values.add(value);
            descriptions.add(describe(value));
        }
        for (int i = 0; i < STRUCTURES; i++) {
            Described value = randomValue(random, 4);
            values.add(value.value);
            descriptions.add(value.description);
        }

        List<String> expected = jsonDumps(version, descriptions);
        assertThat(expected).hasSize(values.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String actual = new String(JSON.toBytes(values.get(i)), US_ASCII);
            if (!actual.equals(expected.get(i))) {
                mismatches.add("%s: json.dumps %s, XComJson %s".formatted(MAPPER.writeValueAsString(descriptions.get(i)), expected.get(i), actual));
            }
        }
        assertThat(mismatches)
                .as("seed %d (repeat with -Dxcom.test.seed=%d); first mismatches", seed, seed)
                .isEmpty();
    }

    private static List<String> jsonDumps(AirflowVersion version, List<Object> descriptions)
            throws IOException, InterruptedException
    {
        Path work = Files.createDirectories(CompatPaths.targetDir().resolve("json-dumps-differential"));
        Path input = work.resolve(version.name().toLowerCase() + "-input.jsonl");
        Path output = work.resolve(version.name().toLowerCase() + "-output.jsonl");
        Path errors = work.resolve(version.name().toLowerCase() + "-stderr.txt");
        try (BufferedWriter writer = Files.newBufferedWriter(input, UTF_8)) {
            for (Object description : descriptions) {
                writer.write(MAPPER.writeValueAsString(description));
                writer.write('\n');
            }
        }
        Process process = new ProcessBuilder(AirflowVenvs.python(version), CompatPaths.moduleDir().resolve("python/json_dumps.py").toString())
                .redirectInput(input.toFile())
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("json_dumps.py did not finish in 5 minutes; input " + input);
        }
        assertThat(process.exitValue())
                .as("json_dumps.py exit code; stderr in %s: %s", errors, Files.readString(errors, UTF_8))
                .isZero();
        return Files.readAllLines(output, US_ASCII);
    }

    private static double randomDouble(SplittableRandom random)
    {
        long sign = random.nextBoolean() ? Long.MIN_VALUE : 0;
        return switch (random.nextInt(10)) {
            // any bit pattern: NaN, infinities, normals, subnormals
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> Double.longBitsToDouble(sign | (random.nextLong() & 0x000f_ffff_ffff_ffffL));
            // subnormals with few significant bits, where one or two digits suffice
            case 2 -> Double.longBitsToDouble(sign | random.nextLong(1, 1 << 12));
            case 3 -> Double.parseDouble(String.format(Locale.ROOT, "%s%d.%de%d", sign != 0 ? "-" : "", random.nextInt(1, 10), random.nextInt(10), random.nextInt(-326, 310)));
            case 4 -> Double.parseDouble(String.format(Locale.ROOT, "%s%de%d", sign != 0 ? "-" : "", random.nextInt(1, 10), random.nextInt(-326, 310)));
            case 5 -> {
                // up to 17 random digits around the fixed/exponent notation boundaries (1e-4, 1e16)
                StringBuilder digits = new StringBuilder();
                int count = random.nextInt(1, 18);
                for (int i = 0; i < count; i++) {
                    digits.append(random.nextInt(10));
                }
                yield Double.parseDouble((sign != 0 ? "-0." : "0.") + digits + "e" + random.nextInt(-6, 19));
            }
            case 6 -> {
                double power = Math.pow(10, random.nextInt(-8, 24));
                yield switch (random.nextInt(3)) {
                    case 0 -> Math.nextDown(power);
                    case 1 -> Math.nextUp(power);
                    default -> power;
                };
            }
            // the benchmark's amounts: cents
            case 7 -> Math.round(random.nextDouble() * 1_000_000) / 100.0;
            case 8 -> (double) random.nextLong(-(1L << 55), 1L << 55);
            default -> (sign != 0 ? -1 : 1) * random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
        };
    }

    private static String randomString(SplittableRandom random, int maxLength)
    {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length + 1);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> text.append((char) random.nextInt(0x20, 0x7f));
                case 4 -> text.append("\"\\/\n\r\t\b\f\u007f".charAt(random.nextInt(9)));
                case 5 -> text.append((char) random.nextInt(0x20));
                case 6 -> text.append((char) random.nextInt(0x80, 0x100));
                case 7 -> text.append((char) random.nextInt(0x100, 0xd800));
                case 8 -> text.appendCodePoint(random.nextInt(0x10000, 0x110000));
                default -> text.append((char) random.nextInt(0xd800, 0x10000));
            }
        }
        return text.toString();
    }

    private record Described(Object value, Object description, String pythonKey) {}

    private static Described randomValue(SplittableRandom random, int depth)
    {
        int kind = random.nextInt(depth > 0 ? 9 : 7);
        switch (kind) {
            case 0:
                return new Described(null, List.of("n"), "None");
            case 1:
                boolean bool = random.nextBoolean();
                return new Described(bool, List.of(bool ? "t" : "f"), bool ? "1" : "0");
            case 2: {
                Object integer = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt();
                    case 1 -> random.nextLong();
                    case 2 -> new BigInteger(random.nextInt(64, 600), new java.util.Random(random.nextLong()));
                    default -> BigInteger.TEN.pow(random.nextInt(1, 4300)).subtract(BigInteger.ONE).negate();
                };
                return new Described(integer, List.of("i", integer.toString()), new BigDecimal(integer.toString()).toPlainString());
            }
            case 3: {
                double value = randomDouble(random);
                return new Described(value, describe(value), numericKey(value));
            }
            case 4, 5, 6: {
                String value = randomString(random, 12);
                return new Described(value, describe(value), "str:" + value);
            }
            case 7: {
                int size = random.nextInt(6);
                List<Object> items = new ArrayList<>();
                List<Object> described = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    Described item = randomValue(random, depth - 1);
                    items.add(item.value);
                    described.add(item.description);
                }
                return new Described(items, List.of("l", described), null);
            }
            default: {
                int size = random.nextInt(6);
                Map<Object, Object> map = new LinkedHashMap<>();
                List<Object> described = new ArrayList<>();
                // Python's dict: True, 1 and 1.0 (and 0.0, -0.0) are one key; Java's Map keeps them apart
                Set<String> pythonKeys = new HashSet<>();
                for (int i = 0; i < size; i++) {
                    Described key = randomValue(random, 0);
                    if (key.pythonKey == null || key.pythonKey.equals("nan") || !pythonKeys.add(key.pythonKey)) {
                        continue;
                    }
                    Described value = randomValue(random, depth - 1);
                    map.put(key.value, value.value);
                    described.add(List.of(key.description, value.description));
                }
                return new Described(map, List.of("m", described), null);
            }
        }
    }

    private static String numericKey(double value)
    {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(value).stripTrailingZeros().toPlainString();
    }

    private static List<Object> describe(double value)
    {
        return List.of("d", "%016x".formatted(Double.doubleToRawLongBits(value)));
    }

    private static List<Object> describe(String value)
    {
        List<Integer> units = new ArrayList<>(value.length());
        for (int i = 0; i < value.length(); i++) {
            units.add((int) value.charAt(i));
        }
        return List.of("s", units);
    }
}
