package io.xcomhybrid.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Python's {@code ensure_ascii=True} escaping: {@code \" \\ \n \r \t \b \f} as short escapes, every other
 * character outside {@code 0x20..0x7e} as lowercase {@code \\uXXXX} (non-BMP characters as their surrogate pair).
 */
final class PythonCharacterEscapes
        extends CharacterEscapes
{
    static final PythonCharacterEscapes INSTANCE = new PythonCharacterEscapes();

    private static final int[] ESCAPES;

    static {
        int[] escapes = new int[128];
        for (int c = 0; c < 0x20; c++) {
            escapes[c] = ESCAPE_CUSTOM;
        }
        escapes['"'] = ESCAPE_CUSTOM;
        escapes['\\'] = ESCAPE_CUSTOM;
        escapes[0x7f] = ESCAPE_CUSTOM;
        ESCAPES = escapes;
    }

    @Override
    public int[] getEscapeCodesForAscii()
    {
        return ESCAPES.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int ch)
    {
        return new SerializedString(escape(ch));
    }

    static String escape(int ch)
    {
        switch (ch) {
            case '"':
                return "\\\"";
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\b':
                return "\\b";
            case '\f':
                return "\\f";
            default:
                break;
        }
        if (ch > 0xffff) {
            int v = ch - 0x10000;
            return hex(0xd800 | (v >> 10)) + hex(0xdc00 | (v & 0x3ff));
        }
        return hex(ch);
    }

    private static String hex(int ch)
    {
        String digits = Integer.toHexString(ch);
        return "\\u" + "0000".substring(digits.length()) + digits;
    }
}
