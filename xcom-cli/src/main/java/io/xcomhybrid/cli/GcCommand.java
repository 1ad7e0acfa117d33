package io.xcomhybrid.cli;

import io.xcomhybrid.GcReport;
import io.xcomhybrid.XComEntry;
import io.xcomhybrid.XComs;
import io.xcomhybrid.config.Durations;
import io.xcomhybrid.store.Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "gc", description = {
        "Delete orphan objects (no row, older than the grace period) and report rows whose object is missing.",
        "Objects whose names are not XCom object names (<dag>/<run>/<task>/<uuid><suffix>) are never touched."})
final class GcCommand
        implements Callable<Integer>
{
    @ParentCommand
    XComCommand parent;

    @Option(names = "--dry-run", description = "Report what would be deleted, delete nothing")
    boolean dryRun;

    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "1h",
            description = "Grace period protecting pushes in flight, e.g. 30m, 1h, 7d (default: ${DEFAULT-VALUE})")
    String olderThan;

    @Override
    public Integer call()
    {
        Duration grace = Durations.parse(olderThan);
        try (XComs xcoms = parent.openXComs()) {
            GcReport report = xcoms.gc(grace, dryRun);
            PrintWriter out = parent.spec.commandLine().getOut();
            for (Location orphan : report.orphans()) {
                out.println((dryRun ? "would delete " : "deleted ") + orphan);
            }
            for (XComEntry entry : report.missingObjects()) {
                out.println("missing object for " + entry.key() + ": " + entry.preview().location().map(Location::toString).orElse(""));
            }
            out.println("scanned " + report.scanned() + " objects; " + (dryRun ? "would delete " : "deleted ") + report.orphans().size()
                    + " orphans; kept " + report.young() + " younger than " + olderThan + "; ignored " + report.foreign()
                    + " non-XCom objects; " + report.missingObjects().size() + " rows with a missing object");
            out.flush();
        }
        return ExitCodes.OK;
    }
}
