package io.xcomhybrid.testing;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.metadata.MetadataStore;
import io.xcomhybrid.metadata.MetadataStoreException;
import io.xcomhybrid.metadata.StoredXCom;
import io.xcomhybrid.metadata.XComFilter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A metadata store in a map, for testing the ordering logic of {@link io.xcomhybrid.XComs} with injected failures.
 * Not a proof that any database works: the metadata contract suite runs against SQLite and PostgreSQL.
 */
public final class InMemoryMetadataStore
        implements MetadataStore
{
    private final Map<XComKey, StoredXCom> rows = new LinkedHashMap<>();
    /** Number of upcoming put calls that fail. */
    public final AtomicInteger failPuts = new AtomicInteger();

    @Override
    public synchronized Optional<StoredXCom> put(XComKey key, byte[] value)
    {
        if (failPuts.get() > 0) {
            failPuts.decrementAndGet();
            throw new MetadataStoreException("injected failure writing " + key);
        }
        return Optional.ofNullable(rows.put(key, new StoredXCom(key, value.clone(), Instant.now())));
    }

    @Override
    public synchronized Optional<StoredXCom> get(XComKey key)
    {
        return Optional.ofNullable(rows.get(key));
    }

    @Override
    public synchronized Optional<StoredXCom> delete(XComKey key)
    {
        return Optional.ofNullable(rows.remove(key));
    }

    @Override
    public synchronized List<StoredXCom> deleteAll(XComFilter filter)
    {
        List<StoredXCom> deleted = list(filter);
        deleted.forEach(row -> rows.remove(row.key()));
        return deleted;
    }

    @Override
    public synchronized List<StoredXCom> list(XComFilter filter)
    {
        List<StoredXCom> result = new ArrayList<>();
        for (StoredXCom row : rows.values()) {
            if (filter.matches(row.key())) {
                result.add(row);
            }
        }
        result.sort(Comparator.comparing((StoredXCom row) -> row.key().dagId())
                .thenComparing(row -> row.key().runId())
                .thenComparing(row -> row.key().taskId())
                .thenComparingInt(row -> row.key().mapIndex())
                .thenComparing(row -> row.key().key()));
        return result;
    }

    @Override
    public void check()
    {
    }

    @Override
    public String describe()
    {
        return "in-memory";
    }

    @Override
    public void close()
    {
    }
}
