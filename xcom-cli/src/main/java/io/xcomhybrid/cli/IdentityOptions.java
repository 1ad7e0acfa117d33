package io.xcomhybrid.cli;

import io.xcomhybrid.XComKey;
import picocli.CommandLine.Option;

/** The options that name one XCom. */
final class IdentityOptions
{
    @Option(names = {"-d", "--dag-id"}, required = true, description = "DAG id")
    String dagId;

    @Option(names = {"-r", "--run-id"}, required = true, description = "DAG run id")
    String runId;

    @Option(names = {"-t", "--task-id"}, required = true, description = "Task id")
    String taskId;

    @Option(names = {"-m", "--map-index"}, defaultValue = "-1", description = "Map index (default: ${DEFAULT-VALUE}, unmapped)")
    int mapIndex;

    @Option(names = {"-k", "--key"}, defaultValue = XComKey.RETURN_VALUE, description = "XCom key (default: ${DEFAULT-VALUE})")
    String key;

    XComKey toKey()
    {
        return new XComKey(dagId, runId, taskId, mapIndex, key);
    }
}
