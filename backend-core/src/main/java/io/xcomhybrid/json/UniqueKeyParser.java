package io.xcomhybrid.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A parser, advanced with {@link #nextToken} only, that refuses a key repeated in one object: {@code json.loads} keeps
 * the last value at the first position, which a streaming copy cannot reproduce.
 *
 * <p>Jackson's {@code STRICT_DUPLICATE_DETECTION} does the same check but builds a new hash set for every object of
 * three or more keys, a fifth of the parse on rows of a few keys. Here an object's keys go on one reused stack and a
 * new key is compared with the object's earlier ones; an object with many keys switches to a hash set.
 */
final class UniqueKeyParser
        extends JsonParserDelegate
{
    private static final int SCAN_LIMIT = 16;

    private String[] keys = new String[64];
    private int top;
    /** Per open object: where its keys start on the stack, and its hash set once it has more than SCAN_LIMIT keys. */
    private int[] starts = new int[16];
    private Set<?>[] sets = new Set<?>[16];
    private int depth;

    UniqueKeyParser(JsonParser parser)
    {
        super(parser);
    }

    @Override
    public JsonToken nextToken()
            throws IOException
    {
        JsonToken token = delegate.nextToken();
        if (token == JsonToken.FIELD_NAME) {
            add(delegate.currentName());
        }
        else if (token == JsonToken.START_OBJECT) {
            openObject();
        }
        else if (token == JsonToken.END_OBJECT) {
            closeObject();
        }
        return token;
    }

    private void openObject()
    {
        if (depth == starts.length) {
            starts = Arrays.copyOf(starts, depth * 2);
            sets = Arrays.copyOf(sets, depth * 2);
        }
        starts[depth] = top;
        sets[depth] = null;
        depth++;
    }

    private void closeObject()
    {
        depth--;
        top = starts[depth];
        sets[depth] = null;
    }

    private void add(String key)
            throws IOException
    {
        int start = starts[depth - 1];
        @SuppressWarnings("unchecked")
        Set<String> set = (Set<String>) sets[depth - 1];
        if (set != null) {
            if (!set.add(key)) {
                throw repeated(key);
            }
            return;
        }
        for (int i = start; i < top; i++) {
            if (keys[i].equals(key)) {
                throw repeated(key);
            }
        }
        if (top - start == SCAN_LIMIT) {
            set = new HashSet<>(Arrays.asList(keys).subList(start, top));
            set.add(key);
            sets[depth - 1] = set;
            return;
        }
        if (top == keys.length) {
            keys = Arrays.copyOf(keys, top * 2);
        }
        keys[top++] = key;
    }

    private IOException repeated(String key)
    {
        return new IOException("Repeated key in a JSON object at %s: Python's json.loads keeps the last value at the first position, which a streaming transcode cannot reproduce; read() and write() the value instead (key '%s')"
                .formatted(delegate.currentLocation().offsetDescription(), key));
    }

    // the checks see only what nextToken() returns: no other way to advance

    @Override
    public JsonToken nextValue()
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }

    @Override
    public String nextFieldName()
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }

    @Override
    public boolean nextFieldName(SerializableString name)
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }

    @Override
    public String nextTextValue()
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }

    @Override
    public int nextIntValue(int defaultValue)
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }

    @Override
    public long nextLongValue(long defaultValue)
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }

    @Override
    public Boolean nextBooleanValue()
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }

    @Override
    public JsonParser skipChildren()
    {
        throw new UnsupportedOperationException("advance with nextToken()");
    }
}
