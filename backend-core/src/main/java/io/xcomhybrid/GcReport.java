package io.xcomhybrid;

import io.xcomhybrid.store.Location;

import java.util.List;

/**
 * What an orphan sweep found.
 *
 * @param scanned objects listed under the base
 * @param orphans objects with no row, older than the grace period: deleted, or to be deleted on a dry run
 * @param young objects with no row but younger than the grace period (perhaps a push in flight): kept
 * @param foreign objects under the base whose names are not XCom objects ({@code <dag>/<run>/<task>/<uuid><suffix>}): never touched
 * @param missingObjects rows whose referenced object does not exist
 */
public record GcReport(long scanned, List<Location> orphans, long young, long foreign, List<XComEntry> missingObjects, boolean dryRun)
{
    public GcReport
    {
        orphans = List.copyOf(orphans);
        missingObjects = List.copyOf(missingObjects);
    }
}
