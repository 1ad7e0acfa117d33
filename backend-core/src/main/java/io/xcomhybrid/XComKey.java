package io.xcomhybrid;

import static java.util.Objects.requireNonNull;

/**
 * Identity of one XCom, as Airflow keys it: {@code (dag_id, run_id, task_id, map_index, key)}.
 *
 * <p>{@code mapIndex} is {@code -1} for an unmapped task; {@code key} defaults to {@code return_value}.
 * The ids are used verbatim (no escaping), as Airflow does when it builds object paths.
 */
public record XComKey(String dagId, String runId, String taskId, int mapIndex, String key)
{
    public static final String RETURN_VALUE = "return_value";
    public static final int UNMAPPED = -1;

    public XComKey
    {
        requireNonEmpty(dagId, "dag_id");
        requireNonEmpty(runId, "run_id");
        requireNonEmpty(taskId, "task_id");
        requireNonEmpty(key, "key");
        if (mapIndex < -1) {
            throw new IllegalArgumentException("map_index must be -1 (unmapped) or >= 0: " + mapIndex);
        }
    }

    public static XComKey of(String dagId, String runId, String taskId)
    {
        return new XComKey(dagId, runId, taskId, UNMAPPED, RETURN_VALUE);
    }

    public XComKey withKey(String newKey)
    {
        return new XComKey(dagId, runId, taskId, mapIndex, newKey);
    }

    public XComKey withMapIndex(int newMapIndex)
    {
        return new XComKey(dagId, runId, taskId, newMapIndex, key);
    }

    private static void requireNonEmpty(String value, String name)
    {
        requireNonNull(value, name + " is null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
    }

    /** Human-readable identity used in every error message about this XCom. */
    @Override
    public String toString()
    {
        return "XCom(dag_id=" + dagId + ", run_id=" + runId + ", task_id=" + taskId
                + ", map_index=" + mapIndex + ", key=" + key + ")";
    }
}
