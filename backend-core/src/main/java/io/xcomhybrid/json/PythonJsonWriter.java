package io.xcomhybrid.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Arrays;

import static io.xcomhybrid.json.PythonJsonGenerator.PYTHON_INT_MAX_STR_DIGITS;

/**
 * Writes JSON text byte for byte as Python's {@code json.dumps} does with its defaults: separators {@code ", "} and
 * {@code ": "}, {@code ensure_ascii} escapes (short escapes {@code \" \\ \n \r \t \b \f}, every other character
 * outside {@code 0x20..0x7e} as lowercase {@code \\uXXXX}, a non-BMP character as its surrogate pair), floats as
 * {@code repr} ({@link PythonFloats}), integers exactly up to Python's 4300-digit limit.
 *
 * <p>No library writes this form: Jackson's generator reaches it only through a pretty printer, custom character
 * escapes (its slow per-character path) and raw values for floats, which made it the slowest stage of a large push.
 * This class writes into its own buffer and flushes it to the stream when full, so memory stays bounded. It checks
 * nothing about the structure: {@link ValueWriter} is its only caller. It tracks the open containers only to
 * separate items and to name the path in error messages ({@link #path()}).
 */
final class PythonJsonWriter
        implements Closeable
{
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final int NAME_CACHE_SIZE = 64;
    private static final int CACHED_NAME_MAX_LENGTH = 32;

    /** For each ASCII character: 0 if written as is, the letter of its short escape, or 'u' for \\u00XX. */
    private static final byte[] ASCII_ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPES[c] = 'u';
        }
        ASCII_ESCAPES[0x7f] = 'u';
        ASCII_ESCAPES['"'] = '"';
        ASCII_ESCAPES['\\'] = '\\';
        ASCII_ESCAPES['\n'] = 'n';
        ASCII_ESCAPES['\r'] = 'r';
        ASCII_ESCAPES['\t'] = 't';
        ASCII_ESCAPES['\b'] = 'b';
        ASCII_ESCAPES['\f'] = 'f';
    }

    private final OutputStream out;
    // Jackson's recycled output buffer (its generators use the same): a small value then costs no buffer allocation
    private final BufferRecycler recycler;
    private byte[] buffer;
    private char[] chars;
    // a character takes at most 6 bytes (\\uXXXX): strings are copied out in chunks whose text fits the buffer
    private final int stringChunk;
    private int position;

    // keys repeat (every row of a list of dicts has the same ones): their quoted, escaped form and ": " are kept in a
    // small table indexed by the key's hash, created on the first key
    private String[] cachedNames;
    private byte[][] cachedNameBytes;

    // the open containers, outermost first: whether each is an object, how many items (array) or keys (object) it
    // has begun, and an object's last key
    private boolean[] objects = new boolean[16];
    private int[] counts = new int[16];
    private String[] names = new String[16];
    private int depth;

    // bytes handed to the stream so far
    private long flushed;
    // splits a long list over helper threads (ParallelListEncoder); null writes every list on this thread
    private final ParallelListEncoder parallelLists;
    // for a writer of some items of a list: the path of that list, which is this writer's outermost container
    private final String listPath;

    /** {@link #close()} flushes to {@code out} but does not close it. */
    PythonJsonWriter(OutputStream out)
    {
        this(out, null);
    }

    /** A writer that lets {@code parallelLists} (when not null) encode the items of a long list on several threads. */
    PythonJsonWriter(OutputStream out, ParallelListEncoder parallelLists)
    {
        this(out, parallelLists, "");
    }

    private PythonJsonWriter(OutputStream out, ParallelListEncoder parallelLists, String listPath)
    {
        this.out = out;
        this.parallelLists = parallelLists;
        this.listPath = listPath;
        this.recycler = JsonRecyclerPools.defaultPool().acquireAndLinkPooled();
        this.buffer = recycler.allocByteBuffer(BufferRecycler.BYTE_WRITE_ENCODING_BUFFER);
        this.chars = recycler.allocCharBuffer(BufferRecycler.CHAR_CONCAT_BUFFER);
        this.stringChunk = Math.min(chars.length, (buffer.length - 8) / 6);
    }

    /**
     * A writer of some items of a list, from item {@code firstIndex} on, for {@link ParallelListEncoder}: it starts
     * inside the list (it writes neither bracket), separates its first item from the one before unless it is the
     * list's first, and names paths below {@code listPath} (the list's {@link #containerPath()}).
     */
    static PythonJsonWriter forItems(OutputStream out, String listPath, int firstIndex)
    {
        PythonJsonWriter writer = new PythonJsonWriter(out, null, listPath);
        writer.open(false);
        writer.counts[0] = firstIndex;
        return writer;
    }

    ParallelListEncoder parallelLists()
    {
        return parallelLists;
    }

    /** The bytes written so far, to the stream or still in the buffer. */
    long written()
    {
        return flushed + position;
    }

    /**
     * Writes {@code items} items of the innermost list, already encoded (by a {@link #forItems} writer whose first
     * index was this list's item count), to the stream.
     */
    void writeRawItems(byte[] bytes, int length, int items)
            throws IOException
    {
        flushBuffer();
        out.write(bytes, 0, length);
        flushed += length;
        counts[depth - 1] += items;
    }

    void writeStartObject()
            throws IOException
    {
        beforeValue();
        open(true);
        writeByte('{');
    }

    void writeEndObject()
            throws IOException
    {
        depth--;
        writeByte('}');
    }

    void writeStartArray()
            throws IOException
    {
        beforeValue();
        open(false);
        writeByte('[');
    }

    void writeEndArray()
            throws IOException
    {
        depth--;
        writeByte(']');
    }

    /** The key of the next value in the innermost object. */
    void writeFieldName(String name)
            throws IOException
    {
        int innermost = depth - 1;
        names[innermost] = name;
        if (counts[innermost]++ > 0) {
            ensure(2);
            buffer[position++] = ',';
            buffer[position++] = ' ';
        }
        if (name.length() > CACHED_NAME_MAX_LENGTH) {
            writeQuoted(name);
            ensure(2);
            buffer[position++] = ':';
            buffer[position++] = ' ';
            return;
        }
        if (cachedNames == null) {
            cachedNames = new String[NAME_CACHE_SIZE];
            cachedNameBytes = new byte[NAME_CACHE_SIZE][];
        }
        int slot = name.hashCode() & (NAME_CACHE_SIZE - 1);
        if (name.equals(cachedNames[slot])) {
            writeBytes(cachedNameBytes[slot]);
            return;
        }
        // at most 6 bytes a character and 4 more: written without a flush in between, then copied into the table
        ensure(6 * CACHED_NAME_MAX_LENGTH + 4);
        int start = position;
        writeQuoted(name);
        buffer[position++] = ':';
        buffer[position++] = ' ';
        cachedNames[slot] = name;
        cachedNameBytes[slot] = Arrays.copyOfRange(buffer, start, position);
    }

    void writeString(String text)
            throws IOException
    {
        beforeValue();
        writeQuoted(text);
    }

    /** A string given as characters, such as a parser's text buffer: no String is made. */
    void writeString(char[] text, int offset, int length)
            throws IOException
    {
        beforeValue();
        writeQuoted(text, offset, length);
    }

    void writeNumber(int value)
            throws IOException
    {
        beforeValue();
        ensure(11);
        position = NumberOutput.outputInt(value, buffer, position);
    }

    void writeNumber(long value)
            throws IOException
    {
        beforeValue();
        ensure(20);
        position = NumberOutput.outputLong(value, buffer, position);
    }

    /**
     * Python refuses to convert integers of more than {@value PythonJsonGenerator#PYTHON_INT_MAX_STR_DIGITS} digits
     * to text, so such a value is refused here as well.
     */
    void writeNumber(BigInteger value)
            throws IOException
    {
        String text = value.toString();
        int digits = text.length() - (value.signum() < 0 ? 1 : 0);
        if (digits > PYTHON_INT_MAX_STR_DIGITS) {
            throw new IllegalArgumentException("Integer with %d digits at %s exceeds Python's limit of %d digits for integer string conversion"
                    .formatted(digits, path(), PYTHON_INT_MAX_STR_DIGITS));
        }
        beforeValue();
        for (int start = 0; start < text.length(); start += buffer.length) {
            int end = Math.min(text.length(), start + buffer.length);
            ensure(end - start);
            for (int i = start; i < end; i++) {
                buffer[position++] = (byte) text.charAt(i);
            }
        }
    }

    void writeNumber(double value)
            throws IOException
    {
        beforeValue();
        ensure(PythonFloats.MAX_WRITTEN);
        position = PythonFloats.write(value, buffer, position);
    }

    /** A Java float as Python sees it: {@link PythonFloats#widen}. */
    void writeNumber(float value)
            throws IOException
    {
        writeNumber(PythonFloats.widen(value));
    }

    void writeBoolean(boolean value)
            throws IOException
    {
        beforeValue();
        writeBytes(value ? TRUE : FALSE);
    }

    void writeNull()
            throws IOException
    {
        beforeValue();
        writeBytes(NULL);
    }

    /** The JSON pointer of the value about to be written, for error messages. */
    String path()
    {
        if (depth == 0 && listPath.isEmpty()) {
            return "the top level";
        }
        return path(depth);
    }

    /** The JSON pointer of the innermost open container: {@link #path()} without its last step. */
    String containerPath()
    {
        return path(depth - 1);
    }

    private String path(int levels)
    {
        StringBuilder path = new StringBuilder(listPath);
        for (int i = 0; i < levels; i++) {
            path.append('/');
            if (objects[i]) {
                String name = names[i];
                path.append(name == null ? "" : name.replace("~", "~0").replace("/", "~1"));
            }
            else {
                // the innermost array has not begun the value being written yet; outer ones have begun the open container
                path.append(i == depth - 1 ? counts[i] : counts[i] - 1);
            }
        }
        return path.toString();
    }

    /** Writes what is buffered to the stream and flushes it; the stream stays open. */
    @Override
    public void close()
            throws IOException
    {
        if (buffer == null) {
            return;
        }
        try {
            flushBuffer();
            out.flush();
        }
        finally {
            recycler.releaseByteBuffer(BufferRecycler.BYTE_WRITE_ENCODING_BUFFER, buffer);
            recycler.releaseCharBuffer(BufferRecycler.CHAR_CONCAT_BUFFER, chars);
            buffer = null;
            chars = null;
            recycler.releaseToPool();
        }
    }

    private void beforeValue()
            throws IOException
    {
        int innermost = depth - 1;
        // a value in an object follows its key, which wrote the separator
        if (innermost >= 0 && !objects[innermost] && counts[innermost]++ > 0) {
            ensure(2);
            buffer[position++] = ',';
            buffer[position++] = ' ';
        }
    }

    private void open(boolean object)
    {
        if (depth == objects.length) {
            objects = Arrays.copyOf(objects, depth * 2);
            counts = Arrays.copyOf(counts, depth * 2);
            names = Arrays.copyOf(names, depth * 2);
        }
        objects[depth] = object;
        counts[depth] = 0;
        names[depth] = null;
        depth++;
    }

    private void writeQuoted(String text)
            throws IOException
    {
        int length = text.length();
        ensure(1);
        buffer[position++] = '"';
        for (int start = 0; start < length; start += stringChunk) {
            int end = Math.min(length, start + stringChunk);
            // a bulk copy, then a loop over an array: faster than charAt, which checks the String's coder each time
            text.getChars(start, end, chars, 0);
            writeEscaped(chars, 0, end - start);
        }
        ensure(1);
        buffer[position++] = '"';
    }

    private void writeQuoted(char[] text, int offset, int length)
            throws IOException
    {
        ensure(1);
        buffer[position++] = '"';
        for (int start = 0; start < length; start += stringChunk) {
            writeEscaped(text, offset + start, Math.min(length - start, stringChunk));
        }
        ensure(1);
        buffer[position++] = '"';
    }

    /** Writes {@code count} characters (at most {@link #stringChunk}) with Python's escapes, without the quotes. */
    private void writeEscaped(char[] text, int offset, int count)
            throws IOException
    {
        ensure(6 * count);
        byte[] bytes = buffer;
        int at = position;
        for (int i = offset; i < offset + count; i++) {
            char c = text[i];
            if (c < 128) {
                byte escape = ASCII_ESCAPES[c];
                if (escape == 0) {
                    bytes[at++] = (byte) c;
                    continue;
                }
                bytes[at++] = '\\';
                bytes[at++] = escape;
                if (escape != 'u') {
                    continue;
                }
            }
            else {
                bytes[at++] = '\\';
                bytes[at++] = 'u';
            }
            bytes[at++] = HEX[c >> 12];
            bytes[at++] = HEX[(c >> 8) & 0xf];
            bytes[at++] = HEX[(c >> 4) & 0xf];
            bytes[at++] = HEX[c & 0xf];
        }
        position = at;
    }

    private void writeByte(int b)
            throws IOException
    {
        ensure(1);
        buffer[position++] = (byte) b;
    }

    private void writeBytes(byte[] bytes)
            throws IOException
    {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    /** Makes room for {@code bytes} (at most the buffer's size) after the position. */
    private void ensure(int bytes)
            throws IOException
    {
        if (position + bytes > buffer.length) {
            flushBuffer();
        }
    }

    private void flushBuffer()
            throws IOException
    {
        if (position > 0) {
            out.write(buffer, 0, position);
            flushed += position;
            position = 0;
        }
    }
}
