package io.xcomhybrid.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A Python {@code tuple}. At the top level of an XCom value, and anywhere inside serde-encoded data (set elements,
 * the Airflow 3 database form), it is written as the {@code builtins.tuple} envelope; nested in plain lists and
 * dicts it is written as a plain JSON array, as Python's json module writes tuples.
 *
 * @param items the elements, in order; may contain nulls
 */
public record PyTuple(List<Object> items)
{
    public PyTuple
    {
        requireNonNull(items, "items is null");
        items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    public static PyTuple of(Object... items)
    {
        List<Object> list = new ArrayList<>(items.length);
        Collections.addAll(list, items);
        return new PyTuple(list);
    }
}
