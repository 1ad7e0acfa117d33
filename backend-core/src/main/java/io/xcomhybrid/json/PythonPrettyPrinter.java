package io.xcomhybrid.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

import java.io.IOException;

/** Python's default {@code json.dumps} separators: {@code ", "} between items and {@code ": "} after keys. */
final class PythonPrettyPrinter
        implements PrettyPrinter
{
    @Override
    public void writeRootValueSeparator(JsonGenerator gen)
    {
    }

    @Override
    public void writeStartObject(JsonGenerator gen)
            throws IOException
    {
        gen.writeRaw('{');
    }

    @Override
    public void writeEndObject(JsonGenerator gen, int nrOfEntries)
            throws IOException
    {
        gen.writeRaw('}');
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator gen)
            throws IOException
    {
        gen.writeRaw(", ");
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator gen)
            throws IOException
    {
        gen.writeRaw(": ");
    }

    @Override
    public void writeStartArray(JsonGenerator gen)
            throws IOException
    {
        gen.writeRaw('[');
    }

    @Override
    public void writeEndArray(JsonGenerator gen, int nrOfValues)
            throws IOException
    {
        gen.writeRaw(']');
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator gen)
            throws IOException
    {
        gen.writeRaw(", ");
    }

    @Override
    public void beforeArrayValues(JsonGenerator gen)
    {
    }

    @Override
    public void beforeObjectEntries(JsonGenerator gen)
    {
    }
}
