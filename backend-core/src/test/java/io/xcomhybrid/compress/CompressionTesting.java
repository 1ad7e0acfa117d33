package io.xcomhybrid.compress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

final class CompressionTesting
{
    private CompressionTesting() {}

    /** JSON-lines text like a large XCom value, with some incompressible stretches, {@code size} bytes. */
    static byte[] jsonLines(int size, long seed)
    {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 256);
        int line = 0;
        while (out.size() < size) {
            if (line % 500 == 499) {
                byte[] noise = new byte[random.nextInt(4096)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            }
            String text = "{\"dag_id\": \"etl_%d\", \"map_index\": %d, \"value\": %d, \"name\": \"caf\\u00e9 %s\"}\n"
                    .formatted(line % 17, line, random.nextLong(), Long.toString(random.nextLong(), 36));
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            line++;
        }
        byte[] bytes = out.toByteArray();
        return java.util.Arrays.copyOf(bytes, size);
    }

    /** Compresses with writes of varying sizes, single bytes included. */
    static byte[] compress(Compression compression, byte[] data)
            throws IOException
    {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Random random = new Random(data.length);
        try (OutputStream out = compression.compress(sink)) {
            int offset = 0;
            while (offset < data.length) {
                int n = switch (random.nextInt(4)) {
                    case 0 -> 1;
                    case 1 -> random.nextInt(100);
                    case 2 -> random.nextInt(10_000);
                    default -> random.nextInt(300_000);
                };
                n = Math.min(n, data.length - offset);
                if (n == 1) {
                    out.write(data[offset]);
                }
                else {
                    out.write(data, offset, n);
                }
                offset += n;
            }
        }
        return sink.toByteArray();
    }

    /** Decompresses with reads of varying sizes, single bytes included. */
    static byte[] decompress(Compression compression, byte[] compressed)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random random = new Random(compressed.length);
        try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed))) {
            byte[] buffer = new byte[200_000];
            while (true) {
                if (random.nextInt(5) == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    out.write(b);
                    continue;
                }
                int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length - 1));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** Asserts that a stream of one of our values followed by one written by {@code tool -c} reads back as both. */
    static void assertReadsConcatenatedStreams(Compression compression, String tool, long seed)
            throws IOException, InterruptedException
    {
        byte[] first = jsonLines(100_000, seed);
        byte[] second = jsonLines(50_000, seed + 1);
        byte[] stream = concat(compress(compression, first), run(List.of(tool, "-c"), second));
        assertThat(decompress(compression, stream)).isEqualTo(concat(first, second));
    }

    /**
     * Writes {@code data} through {@code compression} on another thread while its block tasks wait in {@code queued},
     * checks that the writer stops with {@code window} blocks queued, then runs the tasks here one at a time until the
     * writer is done. Returns the most tasks that were ever queued at once.
     */
    static int maxQueuedWhileWriting(Compression compression, BlockingQueue<Runnable> queued, byte[] data, OutputStream sink, int window)
            throws InterruptedException
    {
        Thread writer = new Thread(() -> {
            try (OutputStream out = compression.compress(sink)) {
                out.write(data);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // a thread also waits, briefly, for a class another thread initializes: only waiting with the window queued
        // counts; the state is read once per round, as a parked thread may wake spuriously between two reads
        Thread.State state = writer.getState();
        while ((state != Thread.State.WAITING || queued.size() < window) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            state = writer.getState();
        }
        assertThat(state).isEqualTo(Thread.State.WAITING);
        assertThat(queued).hasSize(window);
        int maxQueued = queued.size();
        while (writer.isAlive() || !queued.isEmpty()) {
            Runnable task = queued.poll(10, TimeUnit.MILLISECONDS);
            if (task != null) {
                task.run();
            }
            maxQueued = Math.max(maxQueued, queued.size());
        }
        writer.join();
        return maxQueued;
    }

    static byte[] resource(String name)
    {
        try (InputStream in = CompressionTesting.class.getResourceAsStream("/compress/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource /compress/" + name);
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[]... parts)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * Runs a command with {@code stdin} as its input and returns its output. A missing program fails the test: the
     * compression tools and python3 are part of every development and CI machine of this project.
     */
    static byte[] run(List<String> command, byte[] stdin)
            throws IOException, InterruptedException
    {
        Path stderr = Files.createTempFile("compress-test", ".stderr");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            }
            catch (IOException e) {
                return fail("Cannot run '%s' (%s): the tools gzip, bzip2, xz-utils, zstd, lz4 and python3 must be installed "
                        + "for these tests (apt-get install gzip bzip2 xz-utils zstd lz4 python3)", command.get(0), e.getMessage());
            }
            CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] stdout;
            try (InputStream out = process.getInputStream()) {
                stdout = out.readAllBytes();
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return fail("%s timed out", command);
            }
            int exit = process.exitValue();
            if (exit != 0) {
                return fail("%s exited with %s: %s", command, exit, Files.readString(stderr));
            }
            feeder.join();
            return stdout;
        }
        finally {
            Files.deleteIfExists(stderr);
        }
    }

    /** Runs a python3 script; {@code sys.stdin.buffer} holds {@code stdin}, and {@code sys.stdout.buffer} is returned. */
    static byte[] python(String script, byte[] stdin)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        return run(command, stdin);
    }
}
