package io.xcomhybrid.config;

import java.time.Duration;
import java.util.Locale;

/** Parses {@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}, {@code 500ms}, a bare number of seconds, or ISO-8601. */
public final class Durations
{
    private Durations() {}

    public static Duration parse(String text)
    {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        int unitStart = 0;
        while (unitStart < value.length() && (Character.isDigit(value.charAt(unitStart)) || value.charAt(unitStart) == '.')) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("expected a number followed by ms, s, m, h or d: '" + text + "'");
        }
        double amount = Double.parseDouble(value.substring(0, unitStart));
        double millis = switch (value.substring(unitStart).trim()) {
            case "ms" -> amount;
            case "", "s", "sec", "secs", "second", "seconds" -> amount * 1_000;
            case "m", "min", "mins", "minute", "minutes" -> amount * 60_000;
            case "h", "hour", "hours" -> amount * 3_600_000;
            case "d", "day", "days" -> amount * 86_400_000;
            default -> throw new IllegalArgumentException("unknown unit in '" + text + "' (use ms, s, m, h or d)");
        };
        return Duration.ofMillis(Math.round(millis));
    }
}
