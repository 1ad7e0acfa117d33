package io.xcomhybrid.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the command of a {@code _cmd} setting the way Airflow's {@code run_command} does: the command line is split
 * with Python's {@code shlex.split} (POSIX rules, no shell: no pipes, globs or {@code $VARIABLES}) and executed
 * directly; the value is the complete standard output decoded as UTF-8 (invalid bytes dropped), trailing newline
 * included, as Airflow returns it. A non-zero exit status is an error.
 * <p>
 * Unlike Airflow, the command gets a time limit, and error messages never show the command line or its standard
 * output (either may hold the secret); they show the exit status and the start of standard error.
 */
final class ConfigCommand
{
    static final long TIMEOUT_SECONDS = 60;
    private static final int MAX_OUTPUT_BYTES = 1 << 20;
    private static final int MAX_STDERR_CHARS = 500;

    private ConfigCommand() {}

    /**
     * @param setting names the setting and where the command came from, for error messages
     */
    static String run(String commandLine, Map<String, String> environment, String setting)
    {
        List<String> command;
        try {
            command = split(commandLine);
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException(setting + ": cannot split the command line: " + e.getMessage());
        }
        if (command.isEmpty()) {
            throw new ConfigException(setting + ": the command is empty");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException e) {
            throw new ConfigException(setting + ": cannot start the command '" + command.get(0) + "': " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readBounded(process.getErrorStream()), ConfigCommand::startReader);
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readBounded(process.getInputStream()), ConfigCommand::startReader);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new ConfigException(setting + ": the command did not finish within " + TIMEOUT_SECONDS + " seconds");
            }
            byte[] output = stdout.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            byte[] errors = stderr.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                String text = decodeIgnoringErrors(errors).strip();
                if (text.length() > MAX_STDERR_CHARS) {
                    text = text.substring(0, MAX_STDERR_CHARS) + "...";
                }
                throw new ConfigException(setting + ": the command failed with exit status " + process.exitValue()
                        + (text.isEmpty() ? "" : "; stderr: " + text));
            }
            if (output.length > MAX_OUTPUT_BYTES) {
                throw new ConfigException(setting + ": the command printed more than " + MAX_OUTPUT_BYTES + " bytes");
            }
            return decodeIgnoringErrors(output);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(setting + ": interrupted while running the command", e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new ConfigException(setting + ": cannot read the command's output: " + e, e);
        }
        catch (IOException e) {
            throw new ConfigException(setting + ": cannot run the command: " + e.getMessage(), e);
        }
        finally {
            process.destroyForcibly();
        }
    }

    // A thread per stream: the common pool may have a single thread on a small machine, and one blocked reader
    // would then stall the other stream until the command's pipe fills and it hangs.
    private static void startReader(Runnable task)
    {
        Thread thread = new Thread(task, "config-command-output");
        thread.setDaemon(true);
        thread.start();
    }

    private static byte[] readBounded(InputStream stream)
    {
        try (stream) {
            // One byte past the limit tells "too long" apart from "exactly at the limit"; the rest is drained.
            byte[] bytes = stream.readNBytes(MAX_OUTPUT_BYTES + 1);
            stream.transferTo(OutputStream.nullOutputStream());
            return bytes;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decodeIgnoringErrors(byte[] bytes)
    {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.IGNORE)
                    .onUnmappableCharacter(CodingErrorAction.IGNORE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        }
        catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Python's {@code shlex.split(text)}: POSIX mode, whitespace-separated words, single quotes literal, double
     * quotes with backslash escaping only {@code \} and {@code "}, backslash escaping any character outside quotes,
     * {@code #} not a comment.
     *
     * @throws IllegalArgumentException for an unclosed quotation or a trailing backslash, as shlex raises
     */
    static List<String> split(String text)
    {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                }
                else {
                    word.append(c);
                }
            }
            else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                }
                else if (c == '\\') {
                    if (i == text.length()) {
                        throw new IllegalArgumentException("No escaped character");
                    }
                    char escaped = text.charAt(i++);
                    if (escaped != '\\' && escaped != '"') {
                        word.append('\\');
                    }
                    word.append(escaped);
                }
                else {
                    word.append(c);
                }
            }
            else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            }
            else if (c == '\\') {
                if (i == text.length()) {
                    throw new IllegalArgumentException("No escaped character");
                }
                word.append(text.charAt(i++));
                inWord = true;
            }
            else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("No closing quotation");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
