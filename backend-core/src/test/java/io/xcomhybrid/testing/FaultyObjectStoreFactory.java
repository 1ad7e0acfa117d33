package io.xcomhybrid.testing;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.Connection;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectIterator;
import io.xcomhybrid.store.ObjectSink;
import io.xcomhybrid.store.ObjectSource;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStoreFactory;
import io.xcomhybrid.store.local.LocalObjectStore;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real local files with failures injected on demand, to test the router's ordering when a store call fails.
 */
public final class FaultyObjectStoreFactory
        implements ObjectStoreFactory
{
    public final AtomicInteger failCreates = new AtomicInteger();
    public final AtomicInteger failCommits = new AtomicInteger();
    public final AtomicInteger failDeletes = new AtomicInteger();
    public final AtomicInteger creates = new AtomicInteger();
    /** When not negative, a sink's write fails once the sink has received more than this many bytes. */
    public final AtomicLong failWritesAfterBytes = new AtomicLong(-1);
    /** Names of the threads that wrote to sinks. */
    public final Set<String> writerThreads = ConcurrentHashMap.newKeySet();
    /**
     * When not negative, a sink says it stores metadata only until it has received more than this many bytes (as an
     * S3 upload does until it turns multipart); otherwise always.
     */
    public final AtomicLong storesMetadataUntilBytes = new AtomicLong(-1);
    /** The metadata given to sinks, by location (also to a sink that had said it no longer stores any). */
    public final Map<Location, Map<String, String>> metadata = new ConcurrentHashMap<>();

    @Override
    public Set<String> schemes()
    {
        return Set.of("file");
    }

    @Override
    public ObjectStore create(String scheme, Optional<String> connId, Optional<Connection> connection, AirflowConfig config)
    {
        LocalObjectStore delegate = new LocalObjectStore();
        return new ObjectStore()
        {
            @Override
            public ObjectSink create(Location location)
                    throws IOException
            {
                creates.incrementAndGet();
                if (failCreates.get() > 0) {
                    failCreates.decrementAndGet();
                    throw new IOException("injected failure creating " + location);
                }
                ObjectSink sink = delegate.create(location);
                return new ObjectSink()
                {
                    // read by storesMetadata() from the writer's digest thread
                    private volatile long written;

                    @Override
                    public boolean storesMetadata()
                    {
                        long limit = storesMetadataUntilBytes.get();
                        return limit < 0 || written <= limit;
                    }

                    @Override
                    public void setMetadata(Map<String, String> metadata)
                    {
                        FaultyObjectStoreFactory.this.metadata.put(location, Map.copyOf(metadata));
                    }

                    @Override
                    public void write(int b)
                            throws IOException
                    {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len)
                            throws IOException
                    {
                        writerThreads.add(Thread.currentThread().getName());
                        written += len;
                        long limit = failWritesAfterBytes.get();
                        if (limit >= 0 && written > limit) {
                            throw new IOException("injected failure writing " + location);
                        }
                        sink.write(b, off, len);
                    }

                    @Override
                    public void abort()
                            throws IOException
                    {
                        sink.abort();
                    }

                    @Override
                    public void close()
                            throws IOException
                    {
                        if (failCommits.get() > 0) {
                            failCommits.decrementAndGet();
                            sink.abort();
                            throw new IOException("injected failure committing " + location);
                        }
                        sink.close();
                    }
                };
            }

            @Override
            public ObjectSource open(Location location)
                    throws IOException
            {
                return delegate.open(location);
            }

            @Override
            public boolean exists(Location location)
            {
                return delegate.exists(location);
            }

            @Override
            public void delete(Location location)
                    throws IOException
            {
                if (failDeletes.get() > 0) {
                    failDeletes.decrementAndGet();
                    throw new IOException("injected failure deleting " + location);
                }
                delegate.delete(location);
            }

            @Override
            public void deleteAll(Collection<Location> locations)
                    throws IOException
            {
                for (Location location : locations) {
                    delete(location);
                }
            }

            @Override
            public ObjectIterator list(Location prefix)
                    throws IOException
            {
                return delegate.list(prefix);
            }

            @Override
            public void close()
            {
                delegate.close();
            }
        };
    }
}
