package io.xcomhybrid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcomhybrid.XComEntry;
import io.xcomhybrid.XComs;
import io.xcomhybrid.metadata.XComFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

@Command(name = "list", description = "One row per XCom with where it lives and its size, from the rows alone (no object is read).")
final class ListCommand
        implements Callable<Integer>
{
    @ParentCommand
    XComCommand parent;

    @Option(names = {"-d", "--dag-id"}, description = "Only this DAG")
    String dagId;

    @Option(names = {"-r", "--run-id"}, description = "Only this run")
    String runId;

    @Option(names = {"-t", "--task-id"}, description = "Only this task")
    String taskId;

    @Option(names = "--json", description = "Print a JSON array instead of a table")
    boolean json;

    @Override
    public Integer call()
            throws Exception
    {
        XComFilter filter = new XComFilter(Optional.ofNullable(dagId), Optional.ofNullable(runId), Optional.ofNullable(taskId), OptionalInt.empty(), Optional.empty());
        try (XComs xcoms = parent.openXComs()) {
            List<XComEntry> entries = xcoms.list(filter);
            PrintWriter out = parent.spec.commandLine().getOut();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ArrayNode array = mapper.createArrayNode();
                for (XComEntry entry : entries) {
                    array.add(toJson(mapper, entry));
                }
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            }
            else {
                out.println(String.join("\t", "DAG_ID", "RUN_ID", "TASK_ID", "MAP_INDEX", "KEY", "WHERE", "STORED_BYTES", "TIMESTAMP", "VALUE_OR_REFERENCE"));
                for (XComEntry entry : entries) {
                    out.println(String.join("\t", entry.key().dagId(), entry.key().runId(), entry.key().taskId(),
                            Integer.toString(entry.key().mapIndex()), entry.key().key(), entry.preview().placement().label(),
                            Long.toString(entry.preview().storedSize()), entry.timestamp().toString(), oneLine(entry.preview().text(), 80)));
                }
            }
            out.flush();
        }
        return 0;
    }

    static ObjectNode toJson(ObjectMapper mapper, XComEntry entry)
    {
        ObjectNode node = mapper.createObjectNode();
        node.put("dag_id", entry.key().dagId());
        node.put("run_id", entry.key().runId());
        node.put("task_id", entry.key().taskId());
        node.put("map_index", entry.key().mapIndex());
        node.put("key", entry.key().key());
        node.put("where", entry.preview().placement().label());
        node.put("stored_bytes", entry.preview().storedSize());
        node.put("timestamp", entry.timestamp().toString());
        if (entry.preview().location().isPresent()) {
            node.put("reference", entry.preview().location().get().toString());
        }
        else {
            node.put("preview", entry.preview().text());
        }
        return node;
    }

    static String oneLine(String text, int limit)
    {
        String line = text.replace('\n', ' ').replace('\t', ' ');
        return line.length() <= limit ? line : line.substring(0, limit - 3) + "...";
    }
}
