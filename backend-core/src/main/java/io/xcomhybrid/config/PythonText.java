package io.xcomhybrid.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The few Python string rules that Airflow's configuration and connection parsing depend on, so that a value
 * means the same here as in Airflow: {@code str.strip()}, {@code int()} and {@code urllib.parse.unquote()}.
 */
final class PythonText
{
    private PythonText() {}

    /** Python's {@code str.isspace()} for one char; wider than {@link Character#isWhitespace} (NBSP, NEL). */
    static boolean isSpace(char c)
    {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    static String strip(String text)
    {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    static String rstrip(String text)
    {
        int end = text.length();
        while (end > 0 && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * Python's {@code int(text)} for base 10: surrounding whitespace, an optional sign, and single underscores
     * between digits are allowed. Empty if the text is not an integer or does not fit a long.
     */
    static OptionalLong parseInt(String text)
    {
        String value = strip(text);
        int start = value.startsWith("+") || value.startsWith("-") ? 1 : 0;
        if (start == value.length()) {
            return OptionalLong.empty();
        }
        StringBuilder digits = new StringBuilder(value.length());
        digits.append(value, 0, start);
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '_') {
                boolean between = i > start && i + 1 < value.length()
                        && Character.isDigit(value.charAt(i - 1)) && Character.isDigit(value.charAt(i + 1));
                if (!between) {
                    return OptionalLong.empty();
                }
                continue;
            }
            if (!Character.isDigit(c)) {
                return OptionalLong.empty();
            }
            digits.append(c);
        }
        try {
            return OptionalLong.of(Long.parseLong(digits.toString()));
        }
        catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Python's {@code urllib.parse.unquote}: valid {@code %XX} escapes become bytes decoded as UTF-8 (invalid
     * sequences become U+FFFD), malformed escapes stay as they are, and {@code +} is not a space.
     */
    static String unquote(String text)
    {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 3;
                continue;
            }
            flush(bytes, out);
            out.append(c);
            i++;
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out)
    {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static boolean isHex(char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
