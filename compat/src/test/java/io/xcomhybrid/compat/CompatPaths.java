package io.xcomhybrid.compat;

import java.nio.file.Files;
import java.nio.file.Path;

final class CompatPaths
{
    private CompatPaths() {}

    /** The compat module directory (Surefire's {@code basedir}), where setup-venvs.sh and python/ live. */
    static Path moduleDir()
    {
        String basedir = System.getProperty("basedir");
        Path dir = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("setup-venvs.sh")) && Files.isRegularFile(dir.resolve("compat/setup-venvs.sh"))) {
            dir = dir.resolve("compat");
        }
        if (!Files.isRegularFile(dir.resolve("setup-venvs.sh"))) {
            throw new IllegalStateException("Cannot find the compat module (setup-venvs.sh) from " + dir.toAbsolutePath());
        }
        return dir.toAbsolutePath();
    }

    static Path targetDir()
    {
        return moduleDir().resolve("target");
    }
}
