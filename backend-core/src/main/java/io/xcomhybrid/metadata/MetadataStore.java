package io.xcomhybrid.metadata;

import io.xcomhybrid.XComKey;

import java.io.Closeable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The table of XCom rows. Each method is one transaction; implementations are thread safe and own their
 * connection pool. Failures are {@link MetadataStoreException}s naming the XCom and the database.
 */
public interface MetadataStore
        extends Closeable
{
    /**
     * Writes the row for {@code key}, replacing any row with the same identity, in one transaction.
     *
     * @return the row that was replaced, so the caller can purge what it referenced once this commit is done
     */
    Optional<StoredXCom> put(XComKey key, byte[] value);

    Optional<StoredXCom> get(XComKey key);

    /** The value of the row for {@code key}, without the rest of the row: what a pull reads. */
    default Optional<byte[]> getValue(XComKey key)
    {
        return get(key).map(StoredXCom::value);
    }

    /**
     * Deletes the row for {@code key}.
     *
     * @return the deleted row, or empty if there was none
     */
    Optional<StoredXCom> delete(XComKey key);

    /**
     * Deletes every row the filter selects, in one transaction and a bounded number of statements.
     *
     * @return the deleted rows, so the caller can purge their objects after the commit
     */
    List<StoredXCom> deleteAll(XComFilter filter);

    /** The rows the filter selects, ordered by dag_id, run_id, task_id, map_index, key. */
    List<StoredXCom> list(XComFilter filter);

    /**
     * The rows any of {@code filters} selects, each once, in no particular order: looks up many small groups (such as
     * the task instances named by a page of listed objects) in a few statements instead of one per filter.
     */
    default List<StoredXCom> listAny(Collection<XComFilter> filters)
    {
        Map<XComKey, StoredXCom> rows = new LinkedHashMap<>();
        for (XComFilter filter : filters) {
            for (StoredXCom row : list(filter)) {
                rows.putIfAbsent(row.key(), row);
            }
        }
        return List.copyOf(rows.values());
    }

    /**
     * Passes each row the filter selects to {@code consumer}, in no particular order, holding a bounded number of rows
     * in memory (unlike {@link #list}, which returns them all). Runs in one read transaction; if the database asks for
     * that transaction to be retried, the scan starts again, so the consumer may see a row twice. The default reads
     * the whole {@link #list}: stores whose tables may be large override it.
     */
    default void forEach(XComFilter filter, Consumer<StoredXCom> consumer)
    {
        list(filter).forEach(consumer);
    }

    /** A live round trip to the database, for health checks; throws if it is unreachable. */
    void check();

    /** Where the rows live, for messages; never includes a password. */
    String describe();

    /** Releases the pool. Idempotent. */
    @Override
    void close();
}
