package io.xcomhybrid.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Comparisons of JSON bytes for the codec tests and the conformance suite. */
public final class JsonBytes
{
    private static final Pattern DATETIME_CLASSES = Pattern.compile(
            "\"(pendulum\\.datetime\\.DateTime|datetime\\.datetime|pendulum\\.date\\.Date|datetime\\.date|pendulum\\.tz\\.timezone\\.Timezone|zoneinfo\\.ZoneInfo)\"");

    private JsonBytes() {}

    /**
     * Whether two texts differ only in datetime class names: Java maps datetime envelopes to java.time types and
     * derives the class name from the zone kind, so a stdlib datetime in a ZoneInfo zone comes back as pendulum's.
     */
    public static boolean sameUpToDatetimeClassNames(byte[] a, byte[] b)
    {
        String normalizedA = DATETIME_CLASSES.matcher(new String(a, StandardCharsets.UTF_8)).replaceAll("\"<class>\"");
        String normalizedB = DATETIME_CLASSES.matcher(new String(b, StandardCharsets.UTF_8)).replaceAll("\"<class>\"");
        return normalizedA.equals(normalizedB);
    }

    /** Where {@code actual} first departs from {@code expected}, with a little context on both sides. */
    public static String difference(byte[] actual, byte[] expected)
    {
        int at = Arrays.mismatch(actual, expected);
        if (at < 0) {
            return "are equal";
        }
        int from = Math.max(0, at - 30);
        String got = new String(actual, from, Math.min(actual.length, at + 50) - from, StandardCharsets.UTF_8);
        String want = new String(expected, from, Math.min(expected.length, at + 50) - from, StandardCharsets.UTF_8);
        return "differ at byte " + at + " (lengths " + actual.length + " vs " + expected.length + "): got ..." + got + "... expected ..." + want + "...";
    }
}
