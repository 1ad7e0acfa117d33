package io.xcomhybrid.json;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Python's float conversions for datetime values, reproduced operation by operation (CPython {@code _datetimemodule.c})
 * so that timestamps written by Java equal Python's to the last bit. Python keeps microseconds: nanoseconds below a
 * microsecond are dropped (rounded toward the past).
 */
final class PythonTime
{
    static final LocalDateTime MIN = LocalDateTime.of(1, 1, 1, 0, 0);
    static final LocalDateTime MAX = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000);
    private static final long MAX_TIMEDELTA_SECONDS = 999_999_999L * 86_400 + 86_399;
    private static final long MIN_TIMEDELTA_SECONDS = -999_999_999L * 86_400;

    private PythonTime() {}

    /** {@code aware.timestamp()}: the exact microseconds since the epoch divided by 10^6, correctly rounded. */
    static double awareTimestamp(Instant instant)
    {
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano() / 1000, 6)).doubleValue();
    }

    /** {@code naive.timestamp()}: {@code float(local_seconds) + microsecond / 1e6}, two roundings as in CPython. */
    static double naiveTimestamp(LocalDateTime local, ZoneId zone)
    {
        long seconds = local.withNano(0).atZone(zone).toEpochSecond();
        return (double) seconds + (local.getNano() / 1000) / 1e6;
    }

    /** {@code datetime.fromtimestamp(ts)}'s split into seconds and microseconds (round half even on the fraction). */
    static Instant fromTimestamp(double timestamp)
    {
        if (Double.isNaN(timestamp) || Double.isInfinite(timestamp) || Math.abs(timestamp) > 1e14) {
            throw new IllegalArgumentException("timestamp out of range: " + PythonFloats.repr(timestamp));
        }
        double intPart = timestamp < 0 ? Math.ceil(timestamp) : Math.floor(timestamp);
        double micros = Math.rint((timestamp - intPart) * 1e6);
        if (micros >= 1e6) {
            micros -= 1e6;
            intPart += 1;
        }
        else if (micros < 0) {
            micros += 1e6;
            intPart -= 1;
        }
        return Instant.ofEpochSecond((long) intPart, (long) micros * 1000);
    }

    /** {@code timedelta.total_seconds()}: exact microseconds divided by 10^6, correctly rounded. */
    static double totalSeconds(Duration duration)
    {
        if (duration.getSeconds() < MIN_TIMEDELTA_SECONDS || duration.getSeconds() > MAX_TIMEDELTA_SECONDS) {
            throw new IllegalArgumentException("Duration outside Python's timedelta range (+-999999999 days): " + duration);
        }
        return BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano() / 1000, 6)).doubleValue();
    }

    /** {@code timedelta(seconds=value)}: whole seconds plus the fraction's microseconds, rounded half even. */
    static Duration fromSeconds(double seconds)
    {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > MAX_TIMEDELTA_SECONDS + 1) {
            throw new IllegalArgumentException("timedelta seconds out of range: " + PythonFloats.repr(seconds));
        }
        double intPart = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
        long micros = (long) Math.rint((seconds - intPart) * 1e6);
        return Duration.ofSeconds((long) intPart).plusNanos(micros * 1000);
    }

    static void checkRange(LocalDateTime local, Object value)
    {
        if (local.isBefore(MIN) || local.isAfter(MAX.plusNanos(999))) {
            throw new IllegalArgumentException("Python datetime holds years 1 to 9999 only: " + value);
        }
    }

    static void checkRange(LocalDate date)
    {
        if (date.getYear() < 1 || date.getYear() > 9999) {
            throw new IllegalArgumentException("Python date holds years 1 to 9999 only: " + date);
        }
    }
}
