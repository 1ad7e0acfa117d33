package io.xcomhybrid.cli;

import io.xcomhybrid.XComs;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigValue;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import static java.nio.charset.StandardCharsets.UTF_8;

@Command(name = "doctor", description = {
        "Show the backend, each setting and its source (secrets masked), and check the database and object store live.",
        "The object-store check writes, reads back and deletes a probe under <base>/.xcom-hybrid-doctor/."})
final class DoctorCommand
        implements Callable<Integer>
{
    @ParentCommand
    XComCommand parent;

    @Override
    public Integer call()
    {
        PrintWriter out = parent.spec.commandLine().getOut();
        ConfigResolver.Resolved resolved = parent.resolveConfig();
        AirflowConfig config = resolved.config();
        out.println("configuration: " + resolved.origin());
        out.println("settings:");
        for (ConfigValue value : config.entries()) {
            out.println("  [" + value.section() + "] " + value.key() + " = " + value.displayValue() + "    (" + value.source() + ")");
        }
        out.flush();
        boolean healthy = true;
        try (XComs xcoms = XComs.open(config)) {
            out.println("backend: " + xcoms.backend().name() + " (" + xcoms.backend().getClass().getName() + ")");
            out.println("object store schemes on the class path: " + xcoms.objectStores().schemes());
            healthy &= check(out, "metadata database " + xcoms.metadataStore().describe(), () -> xcoms.metadataStore().check());
            Optional<Location> base = xcoms.backend().baseLocation();
            if (base.isPresent()) {
                healthy &= check(out, "object store " + base.get(), () -> probe(xcoms, base.get()));
            }
            else {
                out.println("object store: none (every value is kept in the database)");
            }
        }
        out.println(healthy ? "all checks passed" : "some checks FAILED");
        out.flush();
        return healthy ? ExitCodes.OK : ExitCodes.STORAGE;
    }

    private static void probe(XComs xcoms, Location base)
            throws Exception
    {
        ObjectStore store = xcoms.objectStores().forLocation(base);
        Location probe = base.appendPath(".xcom-hybrid-doctor/" + UUID.randomUUID());
        byte[] content = ("xcom-hybrid doctor probe " + probe.fileName()).getBytes(UTF_8);
        try {
            try (ObjectSink sink = store.create(probe)) {
                sink.write(content);
            }
            try (InputStream in = store.open(probe)) {
                if (!Arrays.equals(in.readAllBytes(), content)) {
                    throw new IllegalStateException("probe object " + probe + " read back different bytes");
                }
            }
        }
        finally {
            store.delete(probe);
        }
    }

    private interface Check
    {
        void run()
                throws Exception;
    }

    private static boolean check(PrintWriter out, String what, Check check)
    {
        long start = System.nanoTime();
        try {
            check.run();
            out.println("check " + what + ": ok (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
            return true;
        }
        catch (Exception e) {
            out.println("check " + what + ": FAILED: " + e.getMessage());
            return false;
        }
        finally {
            out.flush();
        }
    }
}
