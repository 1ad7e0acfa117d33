package io.xcomhybrid.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pass/fail/known-difference counts of one conformance run, per Airflow version and check, written as a Markdown
 * table to {@code target/compat-results/<suite>.md} (the source of compat/RESULTS.md).
 */
final class ConformanceResults
{
    private static final int MAX_FAILURES_SHOWN = 25;

    private final String suite;
    private final Map<String, String> versions = new TreeMap<>();
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, List<String>> knownDifferences = new TreeMap<>();

    ConformanceResults(String suite)
    {
        this.suite = suite;
    }

    synchronized void version(String airflow, String description)
    {
        versions.put(airflow, description);
    }

    /** One check's outcomes: passes, failures (with messages) and cases that differ for a documented reason. */
    final class Tally
    {
        private final String row;
        private final List<String> failures = new ArrayList<>();
        private final Map<String, Integer> failuresByFamily = new TreeMap<>();
        private String family = "-";
        private long failed;
        private long passed;

        private Tally(String row)
        {
            this.row = row;
        }

        /** The value family that following outcomes belong to (for the failure summary). */
        void family(String family)
        {
            this.family = family;
        }

        void pass()
        {
            passed++;
            synchronized (ConformanceResults.this) {
                counts.computeIfAbsent(row, ignored -> new long[3])[0]++;
            }
        }

        void fail(String message)
        {
            failed++;
            failuresByFamily.merge(family, 1, Integer::sum);
            if (failures.size() < MAX_FAILURES_SHOWN) {
                failures.add(message);
            }
            synchronized (ConformanceResults.this) {
                counts.computeIfAbsent(row, ignored -> new long[3])[1]++;
            }
        }

        void known(String reason, String caseName)
        {
            synchronized (ConformanceResults.this) {
                counts.computeIfAbsent(row, ignored -> new long[3])[2]++;
                List<String> cases = knownDifferences.computeIfAbsent(row + ": " + reason, ignored -> new ArrayList<>());
                if (cases.size() < 12) {
                    cases.add(caseName);
                }
            }
        }

        void check(boolean ok, String message)
        {
            if (ok) {
                pass();
            }
            else {
                fail(message);
            }
        }

        long passed()
        {
            return passed;
        }

        long failed()
        {
            return failed;
        }

        /** Fails the current test with the first failures if any case failed. */
        void assertNoFailures()
        {
            if (failed > 0) {
                throw new AssertionError(row + ": " + failed + " of " + (failed + passed) + " checks failed (by value family: " + failuresByFamily + "); first ones:\n  - "
                        + String.join("\n  - ", failures));
            }
            if (passed == 0) {
                throw new AssertionError(row + ": no check ran");
            }
        }
    }

    Tally tally(String airflow, String check)
    {
        return new Tally(airflow + " | " + check);
    }

    synchronized void write()
    {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(suite).append("\n\n");
        versions.forEach((name, description) -> out.append("- ").append(name).append(": ").append(description).append('\n'));
        out.append("\n| Airflow | check | passed | failed | known difference |\n|---|---|---:|---:|---:|\n");
        counts.forEach((row, c) -> out.append("| ").append(row).append(" | ").append(c[0]).append(" | ").append(c[1]).append(" | ").append(c[2]).append(" |\n"));
        if (!knownDifferences.isEmpty()) {
            out.append("\nKnown differences (first cases):\n\n");
            knownDifferences.forEach((reason, cases) -> out.append("- ").append(reason).append(": ").append(String.join(", ", cases)).append('\n'));
        }
        try {
            Path dir = Files.createDirectories(CompatPaths.targetDir().resolve("compat-results"));
            Files.writeString(dir.resolve(suite + ".md"), out.toString(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
