package io.xcomhybrid.cli;

import io.xcomhybrid.NoSuchXComException;
import io.xcomhybrid.XComEntry;
import io.xcomhybrid.XComs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "show", description = "Show one XCom's row: where the value lives, sizes, timestamp, and a preview or the object reference.")
final class ShowCommand
        implements Callable<Integer>
{
    @ParentCommand
    XComCommand parent;

    @Mixin
    IdentityOptions identity;

    @Override
    public Integer call()
    {
        try (XComs xcoms = parent.openXComs()) {
            XComEntry entry = xcoms.show(identity.toKey()).orElseThrow(() -> new NoSuchXComException(identity.toKey()));
            PrintWriter out = parent.spec.commandLine().getOut();
            out.println("dag_id:       " + entry.key().dagId());
            out.println("run_id:       " + entry.key().runId());
            out.println("task_id:      " + entry.key().taskId());
            out.println("map_index:    " + entry.key().mapIndex());
            out.println("key:          " + entry.key().key());
            out.println("where:        " + entry.preview().placement().label());
            out.println("stored bytes: " + entry.preview().storedSize());
            out.println("timestamp:    " + entry.timestamp());
            if (entry.preview().location().isPresent()) {
                out.println("reference:    " + entry.preview().location().get());
            }
            else {
                out.println("value:        " + entry.preview().text());
            }
            out.flush();
        }
        return ExitCodes.OK;
    }
}
