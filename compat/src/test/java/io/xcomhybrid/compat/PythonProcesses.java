package io.xcomhybrid.compat;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.TimeUnit;

/** Ends the Python services the suites drive over stdin/stdout. */
final class PythonProcesses
{
    private PythonProcesses() {}

    /** Closes the request stream (the service's cue to exit), waits a little, then ends the process by force. */
    static void stop(Process process, Writer requests)
    {
        try {
            requests.close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (IOException ignored) {
            // the process is ended below
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
