package io.xcomhybrid.cli;

import io.xcomhybrid.XComs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

@Command(name = "pull", description = "Write the value's JSON text (the bytes Python's json.dumps writes) to stdout or a file, streaming.")
final class PullCommand
        implements Callable<Integer>
{
    @ParentCommand
    XComCommand parent;

    @Mixin
    IdentityOptions identity;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (created atomically) instead of stdout")
    Path output;

    @Override
    public Integer call()
            throws IOException
    {
        Progress progress = new Progress(System.err, "pulled", -1, Progress.terminalAttached() && output != null);
        try (XComs xcoms = parent.openXComs()) {
            if (output == null) {
                OutputStream out = new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 64 * 1024);
                xcoms.pullJson(identity.toKey(), out);
                out.flush();
                return ExitCodes.OK;
            }
            Path absolute = output.toAbsolutePath();
            Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            try {
                try (OutputStream out = progress.wrap(new BufferedOutputStream(Files.newOutputStream(temp), 64 * 1024))) {
                    xcoms.pullJson(identity.toKey(), out);
                }
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finally {
                Files.deleteIfExists(temp);
                progress.done();
            }
        }
        return ExitCodes.OK;
    }
}
