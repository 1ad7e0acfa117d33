package io.xcomhybrid.json;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A Python {@code frozenset}, written as the {@code builtins.frozenset} envelope. A plain Java {@link Set} is written
 * as a {@code builtins.set}.
 *
 * @param items the elements in iteration order (the order they are written in)
 */
public record PyFrozenSet(Set<Object> items)
{
    public PyFrozenSet
    {
        requireNonNull(items, "items is null");
        items = Collections.unmodifiableSet(new LinkedHashSet<>(items));
    }

    public static PyFrozenSet of(Object... items)
    {
        Set<Object> set = new LinkedHashSet<>();
        Collections.addAll(set, items);
        return new PyFrozenSet(set);
    }
}
