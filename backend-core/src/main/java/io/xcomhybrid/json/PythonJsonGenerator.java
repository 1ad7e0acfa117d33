package io.xcomhybrid.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A generator that writes numbers as Python's {@code json.dumps} does: floats as {@code repr(float)} (see
 * {@link PythonFloats}), integers exactly. Separators and escapes come from the wrapped generator's pretty printer
 * and character escapes.
 *
 * <p>Python refuses to convert integers of more than {@value #PYTHON_INT_MAX_STR_DIGITS} digits to or from text
 * ({@code sys.get_int_max_str_digits()}, CPython 3.11 and the 3.7-3.10 security releases), so Python could neither
 * write nor read such a value: writing one fails here as well.
 */
final class PythonJsonGenerator
        extends JsonGeneratorDelegate
{
    static final int PYTHON_INT_MAX_STR_DIGITS = 4300;

    PythonJsonGenerator(JsonGenerator delegate)
    {
        super(delegate, false);
    }

    @Override
    public void writeNumber(double value)
            throws IOException
    {
        delegate.writeRawValue(PythonFloats.repr(value));
    }

    @Override
    public void writeNumber(float value)
            throws IOException
    {
        delegate.writeRawValue(PythonFloats.repr(PythonFloats.widen(value)));
    }

    /** Python's json has no decimal type: the text is what Python writes for the float it would read. */
    @Override
    public void writeNumber(BigDecimal value)
            throws IOException
    {
        if (value == null) {
            writeNull();
            return;
        }
        writeNumber(value.doubleValue());
    }

    @Override
    public void writeNumber(BigInteger value)
            throws IOException
    {
        if (value == null) {
            writeNull();
            return;
        }
        String text = value.toString();
        int digits = text.length() - (value.signum() < 0 ? 1 : 0);
        if (digits > PYTHON_INT_MAX_STR_DIGITS) {
            throw new IllegalArgumentException("Integer with %d digits at %s exceeds Python's limit of %d digits for integer string conversion"
                    .formatted(digits, path(this), PYTHON_INT_MAX_STR_DIGITS));
        }
        delegate.writeRawValue(text);
    }

    @Override
    public void copyCurrentEvent(JsonParser parser)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            writeNumber(ValueReader.pythonDouble(parser));
            return;
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            switch (parser.getNumberType()) {
                case INT -> writeNumber(parser.getIntValue());
                case LONG -> writeNumber(parser.getLongValue());
                default -> writeNumber(parser.getBigIntegerValue());
            }
            return;
        }
        super.copyCurrentEvent(parser);
    }

    @Override
    public void copyCurrentStructure(JsonParser parser)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.FIELD_NAME) {
            writeFieldName(parser.currentName());
            token = parser.nextToken();
        }
        if (token == null || !token.isStructStart()) {
            copyCurrentEvent(parser);
            return;
        }
        int depth = 0;
        do {
            copyCurrentEvent(parser);
            if (token.isStructStart()) {
                depth++;
            }
            else if (token.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return;
            }
            token = parser.nextToken();
        }
        while (token != null);
        throw new IOException("Unexpected end of JSON input inside a container");
    }

    /** The JSON pointer of the value about to be written, for error messages. */
    private static String path(JsonGenerator generator)
    {
        Deque<String> segments = new ArrayDeque<>();
        boolean innermost = true;
        for (JsonStreamContext context = generator.getOutputContext(); context != null && !context.inRoot(); context = context.getParent()) {
            if (context.inArray()) {
                // the innermost array has not counted the value being written yet; outer ones have counted the open container
                segments.push(String.valueOf(innermost ? context.getEntryCount() : context.getCurrentIndex()));
            }
            else {
                String name = context.getCurrentName();
                segments.push(name == null ? "" : name.replace("~", "~0").replace("/", "~1"));
            }
            innermost = false;
        }
        return segments.isEmpty() ? "the top level" : "/" + String.join("/", segments);
    }
}
