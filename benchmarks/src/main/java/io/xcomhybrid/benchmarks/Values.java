package io.xcomhybrid.benchmarks;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Deterministic XCom-like values of a target JSON size: a dict holding a list of row dicts (strings, ints, floats,
 * booleans, nulls, a nested list), the shape a task returning a query result pushes. The same seed gives the same
 * value, so every benchmark and the Airflow script measure the same bytes.
 */
public final class Values
{
    /** About 100 bytes of JSON per row in Python's form. */
    private static final int BYTES_PER_ROW = 150;

    private Values() {}

    /** A value whose JSON text is about {@code targetBytes} long (within a row's size). */
    public static Map<String, Object> ofJsonSize(long targetBytes)
    {
        List<Object> list = new ArrayList<>(rowCount(targetBytes));
        rows(targetBytes).forEachRemaining(list::add);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("source", "benchmark");
        value.put("rows", list);
        return value;
    }

    /** The number of rows {@link #ofJsonSize} puts in its list. */
    public static int rowCount(long targetBytes)
    {
        return (int) Math.max(1, targetBytes / BYTES_PER_ROW);
    }

    /**
     * The rows of {@code ofJsonSize(targetBytes)}, in order, made one at a time, so a value larger than the heap can be
     * written as a stream ({@link RowsJson}).
     */
    public static Iterator<Map<String, Object>> rows(long targetBytes)
    {
        SplittableRandom random = new SplittableRandom(42);
        int rows = rowCount(targetBytes);
        return new Iterator<>()
        {
            private int next;

            @Override
            public boolean hasNext()
            {
                return next < rows;
            }

            @Override
            public Map<String, Object> next()
            {
                if (next >= rows) {
                    throw new NoSuchElementException();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", next++);
                row.put("name", "customer-" + Long.toHexString(random.nextLong()));
                row.put("amount", Math.round(random.nextDouble() * 1_000_000) / 100.0);
                row.put("active", random.nextBoolean());
                row.put("region", REGIONS[random.nextInt(REGIONS.length)]);
                row.put("tags", List.of("t" + random.nextInt(100), "t" + random.nextInt(100)));
                row.put("note", random.nextInt(4) == 0 ? null : "ok");
                return row;
            }
        };
    }

    private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1", "sa-east-1", "Zürich"};
}
