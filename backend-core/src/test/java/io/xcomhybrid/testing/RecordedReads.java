package io.xcomhybrid.testing;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Items of one value that record the threads which serialize them, for tests of encoding on helper threads. At a gate
 * item the caller's thread (the one that made this object) waits until a helper has read an item, so that helpers a
 * loaded machine starts late still take part before the caller gets past it.
 */
public final class RecordedReads
{
    private final String caller = Thread.currentThread().getName();
    private final Set<String> readers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reads = new AtomicInteger();
    private final CountDownLatch helperRead = new CountDownLatch(1);
    private final Duration delay;

    /** Each read of an item takes at least {@code delay}. */
    public RecordedReads(Duration delay)
    {
        this.delay = requireNonNull(delay, "delay is null");
    }

    /** An item serialized as {@code value}; at a gate the caller's thread waits (30 s at most) for a helper's read. */
    public Item item(Object value, boolean gate)
    {
        return new Item(value, gate);
    }

    /** The names of the threads that read an item. */
    public Set<String> readers()
    {
        return readers;
    }

    /** How many times an item was read. */
    public int reads()
    {
        return reads.get();
    }

    /** Whether a thread other than the caller's read an item. */
    public boolean helperRead()
    {
        return helperRead.getCount() == 0;
    }

    public final class Item
    {
        private final Object value;
        private final boolean gate;

        private Item(Object value, boolean gate)
        {
            this.value = value;
            this.gate = gate;
        }

        /** The value, without recording a read. */
        public Object plain()
        {
            return value;
        }

        @JsonValue
        public Object value()
                throws InterruptedException
        {
            String name = Thread.currentThread().getName();
            readers.add(name);
            reads.incrementAndGet();
            if (!name.equals(caller)) {
                helperRead.countDown();
            }
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            if (gate && name.equals(caller)) {
                helperRead.await(30, TimeUnit.SECONDS);
            }
            return value;
        }
    }
}
