package io.xcomhybrid.json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Encodes the items of one long list on several threads, with the same bytes as one thread writing them in order.
 *
 * <p>The caller's thread writes the list's first {@link #probeBytes} serially and measures the bytes per item; a
 * list that ends within about two segments of that stays serial. The rest is cut into runs of items (segments) of
 * about {@link #segmentBytes}. Helper tasks on the executor claim segments in order and encode each into a buffer.
 * The caller's thread writes the segments in order: one that is done it copies to the stream; one nobody has claimed
 * it encodes straight to the stream; and while the next one is still being encoded by a helper, it claims a later
 * one and encodes it into a buffer as a helper would, rather than wait. With no helper thread free, the caller's
 * thread thus writes the whole list as serially.
 *
 * <p>Memory stays bounded: at most two segments per thread are claimed ahead of the one to write next, their buffers
 * are reused, and a segment that grows beyond {@link #maxSegmentBytes} (an item far larger than the measured
 * average) is given up: the caller's thread writes it itself, and the rest of the list without helpers.
 *
 * <p>Only the first such list a call meets is split, on the caller's thread: lists inside it (and every list a
 * helper writes) are serial. The value must not change while it is written, as for a serial write; helpers only
 * read it. An error in a segment (an unsupported value, with its path) reaches the caller when that segment's turn
 * comes, so the first error in document order is the one thrown, as in a serial write. The caller returns only
 * after every helper has let go of the value.
 */
final class ParallelListEncoder
{
    private static final int DEFAULT_PROBE_BYTES = 256 << 10;
    private static final int DEFAULT_SEGMENT_BYTES = 256 << 10;
    private static final int DEFAULT_MAX_SEGMENT_BYTES = 1 << 20;

    private final Executor executor;
    private final int helpers;
    private final int probeBytes;
    private final int segmentBytes;
    private final int maxSegmentBytes;
    private boolean splitting;

    /** @param helpers the most tasks to run on {@code executor} besides the caller's thread, at least 1 */
    ParallelListEncoder(Executor executor, int helpers)
    {
        this(executor, helpers, DEFAULT_PROBE_BYTES, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_SEGMENT_BYTES);
    }

    /** With sizes of its own, so tests can split small lists into many segments. */
    ParallelListEncoder(Executor executor, int helpers, int probeBytes, int segmentBytes, int maxSegmentBytes)
    {
        this.executor = requireNonNull(executor, "executor is null");
        if (helpers < 1) {
            throw new IllegalArgumentException("helpers must be at least 1: " + helpers);
        }
        this.helpers = helpers;
        this.probeBytes = probeBytes;
        this.segmentBytes = segmentBytes;
        this.maxSegmentBytes = maxSegmentBytes;
    }

    /** Writes the items of a list whose start the caller has written; the writer is in the list, before its first item. */
    void writeItems(ValueWriter.ItemWriter items, PythonJsonWriter out, int size)
            throws IOException
    {
        if (splitting) {
            writeSerially(items, out, 0, size);
            return;
        }
        splitting = true;
        try {
            long start = out.written();
            int next = 0;
            while (next < size && out.written() - start < probeBytes) {
                items.write(out, next++);
            }
            long probed = out.written() - start;
            long itemsPerSegment = Math.max(1, segmentBytes * (long) next / Math.max(1, probed));
            int segments = (int) Math.min(Integer.MAX_VALUE, (size - next + itemsPerSegment - 1) / itemsPerSegment);
            if (segments < 2) {
                writeSerially(items, out, next, size);
                return;
            }
            new Split(items, out, next, size, (int) itemsPerSegment, segments).run();
        }
        finally {
            splitting = false;
        }
    }

    private static void writeSerially(ValueWriter.ItemWriter items, PythonJsonWriter out, int from, int to)
            throws IOException
    {
        for (int i = from; i < to; i++) {
            items.write(out, i);
        }
    }

    /** One list being split; the monitor of this object guards everything below that is not final. */
    private final class Split
    {
        private final ValueWriter.ItemWriter items;
        private final PythonJsonWriter out;
        private final String listPath;
        private final int first;
        private final int size;
        private final int itemsPerSegment;
        private final int segments;
        // per segment: null until done, then its bytes (a SegmentBuffer), GIVEN_UP, or the Throwable it failed with
        private final Object[] results;
        // buffers the caller has copied out, for the next segments: no new array (and its zeroing) per segment
        private final ArrayDeque<SegmentBuffer> spare = new ArrayDeque<>();
        private int claimed;
        private int written;
        private int active;
        private boolean stopped;

        Split(ValueWriter.ItemWriter items, PythonJsonWriter out, int first, int size, int itemsPerSegment, int segments)
        {
            this.items = items;
            this.out = out;
            this.listPath = out.containerPath();
            this.first = first;
            this.size = size;
            this.itemsPerSegment = itemsPerSegment;
            this.segments = segments;
            this.results = new Object[segments];
        }

        void run()
                throws IOException
        {
            try {
                for (int task = 0; task < Math.min(helpers, segments - 1); task++) {
                    executor.execute(this::help);
                }
            }
            catch (RejectedExecutionException e) {
                // a closed or saturated pool: the tasks that did start help, the caller's thread does the rest
            }
            try {
                writeSegments();
            }
            finally {
                synchronized (this) {
                    stopped = true;
                    notifyAll();
                    boolean interrupted = false;
                    while (active > 0) {
                        try {
                            wait();
                        }
                        catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        /**
         * The caller's loop: writes the next segment when it is done; encodes it straight to the stream when nobody
         * has claimed it; otherwise, rather than wait, encodes a later segment into a buffer as a helper would.
         */
        private void writeSegments()
                throws IOException
        {
            while (true) {
                int segment;
                Object result = null;
                boolean ahead = false;
                synchronized (this) {
                    while (true) {
                        segment = written;
                        if (segment == segments) {
                            return;
                        }
                        if (results[segment] != null) {
                            result = results[segment];
                            results[segment] = null;
                            break;
                        }
                        if (claimed == segment) {
                            claimed++;
                            break;
                        }
                        if (mayClaimAhead()) {
                            segment = claimed++;
                            ahead = true;
                            break;
                        }
                        try {
                            wait();
                        }
                        catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("Interrupted while encoding the list at " + listPath, e);
                        }
                    }
                }
                if (ahead) {
                    Object encoded = encode(segment);
                    synchronized (this) {
                        results[segment] = encoded;
                    }
                    continue;
                }
                if (result == null || result == GIVEN_UP) {
                    // nobody claimed it, or it outgrew a buffer: straight to the stream, as serially
                    writeSerially(items, out, start(segment), end(segment));
                    if (result == GIVEN_UP) {
                        // an item far above the measured size: the rest of the list is not worth splitting
                        synchronized (this) {
                            stopped = true;
                            notifyAll();
                        }
                    }
                }
                else if (result instanceof SegmentBuffer buffer) {
                    out.writeRawItems(buffer.bytes, buffer.size, end(segment) - start(segment));
                    synchronized (this) {
                        buffer.size = 0;
                        spare.add(buffer);
                    }
                }
                else {
                    rethrow((Throwable) result);
                }
                synchronized (this) {
                    written = segment + 1;
                    notifyAll();
                }
            }
        }

        /**
         * Whether a segment may be claimed into a buffer: at most two per thread from the next one to write on, so a
         * thread that finished one need not wait for the caller to copy it before it starts the next.
         */
        private boolean mayClaimAhead()
        {
            return !stopped && claimed < segments && claimed < written + 2 * (helpers + 1);
        }

        private void help()
        {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                active++;
            }
            try {
                while (true) {
                    int segment;
                    synchronized (this) {
                        while (!mayClaimAhead()) {
                            if (stopped || claimed >= segments) {
                                return;
                            }
                            wait();
                        }
                        segment = claimed++;
                    }
                    Object result = encode(segment);
                    synchronized (this) {
                        results[segment] = result;
                        notifyAll();
                    }
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finally {
                synchronized (this) {
                    active--;
                    notifyAll();
                }
            }
        }

        /** A segment's bytes in a buffer, {@link #GIVEN_UP}, or what it failed with: never throws, so no claim is left unanswered. */
        private Object encode(int segment)
        {
            SegmentBuffer buffer = null;
            try {
                synchronized (this) {
                    buffer = spare.poll();
                }
                if (buffer == null) {
                    // room for a segment a quarter above the target: one allocation for most
                    buffer = new SegmentBuffer(segmentBytes + segmentBytes / 4, maxSegmentBytes);
                }
                try (PythonJsonWriter writer = PythonJsonWriter.forItems(buffer, listPath, start(segment))) {
                    for (int i = start(segment); i < end(segment); i++) {
                        items.write(writer, i);
                    }
                }
                return buffer;
            }
            catch (Throwable e) {
                // whatever the refusal of the buffer became on its way out
                return buffer != null && buffer.full ? GIVEN_UP : e;
            }
        }

        private int start(int segment)
        {
            return first + segment * itemsPerSegment;
        }

        private int end(int segment)
        {
            return (int) Math.min(size, start(segment) + (long) itemsPerSegment);
        }
    }

    private static final Object GIVEN_UP = new Object();

    private static void rethrow(Throwable failure)
            throws IOException
    {
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IOException(failure);
    }

    /** A helper's bytes for one segment, refused beyond a cap. */
    private static final class SegmentBuffer
            extends OutputStream
    {
        private final int cap;
        private byte[] bytes;
        private int size;
        private boolean full;

        SegmentBuffer(int expected, int cap)
        {
            this.cap = cap;
            this.bytes = new byte[Math.min(cap, expected)];
        }

        @Override
        public void write(int b)
                throws IOException
        {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] source, int offset, int length)
                throws IOException
        {
            if (size + length > cap) {
                // a spare buffer is not reused after this: the segment is given up and its buffer dropped
                full = true;
                throw new IOException("segment beyond " + cap + " bytes");
            }
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(size + length, bytes.length * 2)));
            }
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }
    }
}
