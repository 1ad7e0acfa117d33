package io.xcomhybrid.cli;

import io.xcomhybrid.PushResult;
import io.xcomhybrid.XComKey;
import io.xcomhybrid.XComs;
import io.xcomhybrid.backend.Placement;
import io.xcomhybrid.backend.XComPayload;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static java.nio.charset.StandardCharsets.UTF_8;

@Command(name = "push", description = {
        "Push a JSON value. Prints where it went: 'database <bytes>' or 'object <reference>'.",
        "The JSON is stored as Python's json.dumps writes it ({\"a\":1} becomes {\"a\": 1})."})
final class PushCommand
        implements Callable<Integer>
{
    @ParentCommand
    XComCommand parent;

    @Mixin
    IdentityOptions identity;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source
    {
        @Option(names = "--json", paramLabel = "TEXT", description = "The value as JSON text")
        String json;

        @Option(names = "--file", paramLabel = "PATH", description = "A file holding the value's JSON text (streamed)")
        Path file;

        @Option(names = "--stdin", description = "Read the value's JSON text from standard input (streamed)")
        boolean stdin;
    }

    @Override
    public Integer call()
            throws IOException
    {
        XComKey key = identity.toKey();
        long total = -1;
        if (source.file != null) {
            if (!Files.isRegularFile(source.file)) {
                throw new IllegalArgumentException("No such file to push: " + source.file);
            }
            total = Files.size(source.file);
        }
        Progress progress = new Progress(System.err, "pushed", total, Progress.terminalAttached());
        try (XComs xcoms = parent.openXComs()) {
            PushResult result = xcoms.push(key, payload(xcoms, progress));
            progress.done();
            if (result.placement() == Placement.DATABASE) {
                parent.spec.commandLine().getOut().println("database " + result.size());
            }
            else {
                parent.spec.commandLine().getOut().println("object " + result.location().orElseThrow());
            }
        }
        return ExitCodes.OK;
    }

    private XComPayload payload(XComs xcoms, Progress progress)
    {
        if (source.json != null) {
            return XComPayload.ofJsonStream(new ByteArrayInputStream(source.json.getBytes(UTF_8)), xcoms.json());
        }
        if (source.stdin) {
            return XComPayload.ofJsonStream(progress.wrap(System.in), xcoms.json());
        }
        return XComPayload.ofJsonSource(() -> progress.wrap(Files.newInputStream(source.file)), source.file.toString(), xcoms.json());
    }
}
