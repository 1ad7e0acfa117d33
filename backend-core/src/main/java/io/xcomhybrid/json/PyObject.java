package io.xcomhybrid.json;

import static java.util.Objects.requireNonNull;

/**
 * A serde envelope {@code {"__classname__": classname, "__version__": version, "__data__": data}} that this codec
 * does not map to a Java type: dataclasses, attrs and pydantic models, pandas DataFrames, Kubernetes pods, or a known
 * type with a newer version than this codec understands.
 *
 * <p>The data is kept exactly as read: plain maps, lists, strings, numbers, booleans and nulls, with nested envelopes
 * left undecoded, so writing the value again yields the same bytes Python wrote. Keys of {@code data} maps are
 * written as they are, without the reserved-key check.
 *
 * @param classname the Python qualified class name, e.g. {@code my_module.MyDataclass}
 * @param version the serializer version
 * @param data the undecoded {@code __data__} value; null when absent
 */
public record PyObject(String classname, int version, Object data)
{
    public PyObject
    {
        requireNonNull(classname, "classname is null");
        if (classname.isEmpty()) {
            throw new IllegalArgumentException("classname is empty");
        }
    }
}
