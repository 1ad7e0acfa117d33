package io.xcomhybrid.store;

import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * An {@link ObjectIterator} that finds each entry before it is asked for: a subclass says only what comes next
 * ({@link #computeNext()}), and {@code hasNext} / {@code next} keep the entry found until it is taken.
 */
public abstract class LookaheadObjectIterator
        implements ObjectIterator
{
    private ObjectEntry next;

    /** The next entry of the listing, or {@code null} at its end; called again only after the last one was taken. */
    protected abstract ObjectEntry computeNext()
            throws IOException;

    @Override
    public final boolean hasNext()
            throws IOException
    {
        if (next == null) {
            next = computeNext();
        }
        return next != null;
    }

    @Override
    public final ObjectEntry next()
            throws IOException
    {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ObjectEntry entry = next;
        next = null;
        return entry;
    }
}
