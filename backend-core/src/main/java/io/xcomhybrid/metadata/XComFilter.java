package io.xcomhybrid.metadata;

import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/** Selects rows by any combination of identity fields; an empty field matches everything. */
public record XComFilter(Optional<String> dagId, Optional<String> runId, Optional<String> taskId, OptionalInt mapIndex, Optional<String> key)
{
    public static final XComFilter ALL = new XComFilter(Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty());

    public XComFilter
    {
        requireNonNull(dagId, "dagId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(taskId, "taskId is null");
        requireNonNull(mapIndex, "mapIndex is null");
        requireNonNull(key, "key is null");
    }

    public static XComFilter run(String dagId, String runId)
    {
        return ALL.withDagId(dagId).withRunId(runId);
    }

    public XComFilter withDagId(String value)
    {
        return new XComFilter(Optional.of(value), runId, taskId, mapIndex, key);
    }

    public XComFilter withRunId(String value)
    {
        return new XComFilter(dagId, Optional.of(value), taskId, mapIndex, key);
    }

    public XComFilter withTaskId(String value)
    {
        return new XComFilter(dagId, runId, Optional.of(value), mapIndex, key);
    }

    public XComFilter withMapIndex(int value)
    {
        return new XComFilter(dagId, runId, taskId, OptionalInt.of(value), key);
    }

    public XComFilter withKey(String value)
    {
        return new XComFilter(dagId, runId, taskId, mapIndex, Optional.of(value));
    }

    public boolean matches(io.xcomhybrid.XComKey xcom)
    {
        return dagId.map(xcom.dagId()::equals).orElse(true)
                && runId.map(xcom.runId()::equals).orElse(true)
                && taskId.map(xcom.taskId()::equals).orElse(true)
                && (mapIndex.isEmpty() || mapIndex.getAsInt() == xcom.mapIndex())
                && key.map(xcom.key()::equals).orElse(true);
    }
}
