package io.xcomhybrid.cli;

import io.xcomhybrid.XComs;
import io.xcomhybrid.metadata.XComFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "clear", description = "Delete every XCom of a run (optionally one task and map index): rows first, then their objects, as Airflow 2.9+ does.")
final class ClearCommand
        implements Callable<Integer>
{
    @ParentCommand
    XComCommand parent;

    @Option(names = {"-d", "--dag-id"}, required = true, description = "DAG id")
    String dagId;

    @Option(names = {"-r", "--run-id"}, required = true, description = "DAG run id")
    String runId;

    @Option(names = {"-t", "--task-id"}, description = "Only this task")
    String taskId;

    @Option(names = {"-m", "--map-index"}, description = "Only this map index")
    Integer mapIndex;

    @Override
    public Integer call()
    {
        XComFilter filter = XComFilter.run(dagId, runId);
        if (taskId != null) {
            filter = filter.withTaskId(taskId);
        }
        if (mapIndex != null) {
            filter = filter.withMapIndex(mapIndex);
        }
        try (XComs xcoms = parent.openXComs()) {
            int cleared = xcoms.clear(filter);
            parent.spec.commandLine().getOut().println("cleared " + cleared);
        }
        return ExitCodes.OK;
    }
}
