package io.xcomhybrid.cli;

import io.xcomhybrid.NoSuchXComException;
import io.xcomhybrid.XComs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "delete", description = "Delete one XCom: its row first, then the object it references.")
final class DeleteCommand
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
            if (!xcoms.delete(identity.toKey())) {
                throw new NoSuchXComException(identity.toKey());
            }
            parent.spec.commandLine().getOut().println("deleted " + identity.toKey());
        }
        return ExitCodes.OK;
    }
}
