package io.xcomhybrid.compat;

import io.xcomhybrid.compat.AirflowHarness.AirflowVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The conformance suite on {@code file://} objects: both sides share one local directory. */
class FileConformanceTest
        extends AbstractAirflowConformanceTest
{
    @Override
    String basePath(AirflowVersion version)
    {
        try {
            Path base = Files.createDirectories(workDir().resolve("objects").resolve(version.name().toLowerCase()).resolve("xcom"));
            return "file://" + base.toAbsolutePath();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    String outsideBase(AirflowVersion version, String name)
    {
        String base = basePath(version);
        return base.substring(0, base.lastIndexOf('/')) + "/" + name;
    }

    @Override
    java.util.Optional<String> otherConnection(AirflowVersion version, String relative)
    {
        return java.util.Optional.empty();
    }

    @Override
    boolean runsStorageIndependentChecks()
    {
        return true;
    }

    @Override
    Map<String, String> connectionEnvironment()
    {
        return Map.of();
    }
}
