package io.xcomhybrid.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * An ini file read with the rules of Python's {@code configparser.ConfigParser()} as Airflow constructs it (strict,
 * {@code BasicInterpolation}, delimiters {@code =} and {@code :}, full-line {@code #} and {@code ;} comments only,
 * empty lines kept inside values) with Airflow's case-preserving option names:
 * <ul>
 * <li>{@code [section]} headers; the name is everything between the first {@code [} and the last {@code ]}, as
 * written (case-sensitive, not trimmed); text after the last {@code ]} is ignored;</li>
 * <li>{@code key = value} or {@code key: value}; the first delimiter on the line wins; key and value are trimmed;
 * an inline {@code # text} is part of the value;</li>
 * <li>a line indented deeper than its option line continues the value (joined with {@code \n}); blank lines
 * inside a value are kept, trailing ones dropped; full-line comments are skipped, even inside a value;</li>
 * <li>a repeated section or a key repeated in one section is an error (configparser's strict mode);</li>
 * <li>{@code [DEFAULT]} entries are visible in every section of the file.</li>
 * </ul>
 * Python reads the file with the locale encoding (UTF-8) and without BOM handling, so a UTF-8 byte order mark makes
 * Airflow fail with {@code MissingSectionHeaderError}; this reader rejects such a file with a clear message.
 * No library follows these rules exactly, so this small reader is written here.
 */
final class IniFile
{
    static final String DEFAULT_SECTION = "DEFAULT";
    private static final int MAX_INTERPOLATION_DEPTH = 10;
    private static final Pattern SECTION_HEADER = Pattern.compile("\\[(.+)]", Pattern.DOTALL);
    private static final Pattern REFERENCE = Pattern.compile("%\\(([^)]+)\\)s");

    /** One option as written: section and key names as in the file, the raw (not interpolated) value. */
    record Entry(String section, String key, String value, int line)
    {
        Entry
        {
            requireNonNull(section, "section is null");
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    private final String fileName;
    private final Map<String, Map<String, Entry>> sections;
    private final Map<String, Entry> defaults;

    private IniFile(String fileName, Map<String, Map<String, Entry>> sections, Map<String, Entry> defaults)
    {
        this.fileName = fileName;
        this.sections = sections;
        this.defaults = defaults;
    }

    static IniFile read(Path path)
    {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        }
        catch (NoSuchFileException e) {
            throw new ConfigException("Config file not found: " + path);
        }
        catch (IOException e) {
            throw new ConfigException("Cannot read config file " + path + ": " + e, e);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            throw new ConfigException(path + ":1: the file starts with a UTF-8 byte order mark, which Airflow's configparser "
                    + "does not accept (MissingSectionHeaderError); save the file as UTF-8 without BOM");
        }
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        }
        catch (CharacterCodingException e) {
            throw new ConfigException(path + ":" + lineOfFirstInvalidByte(bytes) + ": the file is not valid UTF-8");
        }
        return parse(path.toString(), content);
    }

    private static int lineOfFirstInvalidByte(byte[] bytes)
    {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                try {
                    decoder.reset().decode(ByteBuffer.wrap(bytes, lineStart, i - lineStart));
                }
                catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                lineStart = i + 1;
            }
        }
        return line;
    }

    /** Splits lines the way Python's text mode does: {@code \n}, {@code \r\n} and a lone {@code \r} end a line. */
    static List<String> lines(String content)
    {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(content.substring(start, i));
                i += (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            }
            else {
                i++;
            }
        }
        if (start < content.length()) {
            lines.add(content.substring(start));
        }
        return lines;
    }

    static IniFile parse(String fileName, String content)
    {
        if (content.startsWith("\uFEFF")) {
            throw new ConfigException(fileName + ":1: the file starts with a byte order mark, which Airflow's configparser "
                    + "does not accept (MissingSectionHeaderError); save the file without BOM");
        }
        Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
        Map<String, Entry> defaults = new LinkedHashMap<>();
        Map<String, Integer> sectionLines = new HashMap<>();

        Map<String, Entry> current = null;
        String sectionName = null;
        String key = null;
        int keyLine = 0;
        List<String> valueLines = null;
        int indentLevel = Integer.MAX_VALUE;

        List<String> lines = lines(content);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            String value = PythonText.strip(line);
            boolean comment = value.startsWith("#") || value.startsWith(";");
            if (comment || value.isEmpty()) {
                // configparser keeps a blank line inside a value, but not a comment line
                if (!comment && key != null) {
                    valueLines.add("");
                }
                continue;
            }
            int indent = 0;
            while (indent < line.length() && PythonText.isSpace(line.charAt(indent))) {
                indent++;
            }
            if (current != null && key != null && indent > indentLevel) {
                valueLines.add(value);
                continue;
            }
            indentLevel = indent;
            if (key != null) {
                current.put(key, new Entry(sectionName, key, join(valueLines), keyLine));
                key = null;
            }
            Matcher header = SECTION_HEADER.matcher(value);
            if (header.lookingAt()) {
                sectionName = header.group(1);
                if (sectionName.equals(DEFAULT_SECTION)) {
                    current = defaults;
                }
                else {
                    Integer first = sectionLines.putIfAbsent(sectionName, lineNumber);
                    if (first != null) {
                        throw new ConfigException(fileName + ":" + lineNumber + ": duplicate section [" + sectionName
                                + "] (first at line " + first + "); Airflow's configparser (strict mode) rejects repeated sections");
                    }
                    current = new LinkedHashMap<>();
                    sections.put(sectionName, current);
                }
                continue;
            }
            int delimiter = firstDelimiter(value);
            if (current == null) {
                throw new ConfigException(fileName + ":" + lineNumber + ": "
                        + (delimiter > 0 ? "key '" + PythonText.rstrip(value.substring(0, delimiter)) + "'" : "line")
                        + " appears before any [section] header");
            }
            if (delimiter < 0) {
                throw new ConfigException(fileName + ":" + lineNumber + ": in section [" + sectionName
                        + "], the line is neither a [section] header, a 'key = value' option, a comment nor a continuation "
                        + "indented deeper than its option line");
            }
            String name = PythonText.rstrip(value.substring(0, delimiter));
            if (name.isEmpty()) {
                throw new ConfigException(fileName + ":" + lineNumber + ": in section [" + sectionName + "], an option has no key before '"
                        + value.charAt(delimiter) + "'");
            }
            Entry previous = current.get(name);
            if (previous != null) {
                throw new ConfigException(fileName + ":" + lineNumber + ": duplicate key '" + name + "' in section [" + sectionName
                        + "] (first at line " + previous.line() + "); Airflow's configparser (strict mode) rejects repeated keys");
            }
            key = name;
            keyLine = lineNumber;
            valueLines = new ArrayList<>();
            valueLines.add(PythonText.strip(value.substring(delimiter + 1)));
            // Reserve the key now so that a duplicate is found even before the value is complete.
            current.put(key, new Entry(sectionName, key, "", keyLine));
        }
        if (key != null) {
            current.put(key, new Entry(sectionName, key, join(valueLines), keyLine));
        }
        return new IniFile(fileName, sections, defaults);
    }

    private static int firstDelimiter(String value)
    {
        int equals = value.indexOf('=');
        int colon = value.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    private static String join(List<String> valueLines)
    {
        return PythonText.rstrip(String.join("\n", valueLines));
    }

    String fileName()
    {
        return fileName;
    }

    /** Every option in file order: {@code [DEFAULT]} entries first, then each section's. */
    List<Entry> entries()
    {
        List<Entry> entries = new ArrayList<>(defaults.values());
        sections.values().forEach(section -> entries.addAll(section.values()));
        return entries;
    }

    /**
     * configparser's {@code has_option} and raw {@code get}: the section must exist (exact name); the key is looked
     * up in it, then in {@code [DEFAULT]}.
     */
    Optional<Entry> find(String section, String key)
    {
        Map<String, Entry> entries = sections.get(section);
        if (entries == null) {
            return Optional.empty();
        }
        Entry entry = entries.get(key);
        return Optional.ofNullable(entry != null ? entry : defaults.get(key));
    }

    /** Where an entry is, for messages: {@code file:line}. */
    String location(Entry entry)
    {
        return fileName + ":" + entry.line();
    }

    /**
     * The entry's value after configparser's {@code BasicInterpolation}, resolved in {@code section} (which matters
     * for {@code [DEFAULT]} entries): {@code %%} is a literal {@code %} and {@code %(name)s} is the value of
     * {@code name} in that section or {@code [DEFAULT]}, itself interpolated, up to 10 levels deep.
     *
     * @throws ConfigException naming file, line, section and key; never the value
     */
    String interpolate(String section, Entry entry)
    {
        StringBuilder out = new StringBuilder();
        interpolate(section, entry, entry.value(), out, 1);
        return out.toString();
    }

    private void interpolate(String section, Entry entry, String rest, StringBuilder out, int depth)
    {
        if (depth > MAX_INTERPOLATION_DEPTH) {
            throw interpolationError(section, entry, "%(name)s references nest deeper than " + MAX_INTERPOLATION_DEPTH
                    + " levels (does a value reference itself?)");
        }
        int position = 0;
        while (position < rest.length()) {
            int percent = rest.indexOf('%', position);
            if (percent < 0) {
                out.append(rest, position, rest.length());
                return;
            }
            out.append(rest, position, percent);
            char next = percent + 1 < rest.length() ? rest.charAt(percent + 1) : '\0';
            if (next == '%') {
                out.append('%');
                position = percent + 2;
            }
            else if (next == '(') {
                Matcher reference = REFERENCE.matcher(rest).region(percent, rest.length());
                if (!reference.lookingAt()) {
                    throw interpolationError(section, entry, "bad interpolation reference: '%(' must be followed by a name and ')s'"
                            + " (write '%%' for a literal '%')");
                }
                String name = reference.group(1);
                Entry referenced = find(section, name)
                        .orElseThrow(() -> interpolationError(section, entry, "it references %(" + name + ")s, but section ["
                                + section + "] and [DEFAULT] have no key '" + name + "' (write '%%' for a literal '%')"));
                if (referenced.value().indexOf('%') >= 0) {
                    interpolate(section, entry, referenced.value(), out, depth + 1);
                }
                else {
                    out.append(referenced.value());
                }
                position = reference.end();
            }
            else {
                throw interpolationError(section, entry, "'%' must be followed by '%' or '(' (write '%%' for a literal '%')");
            }
        }
    }

    private ConfigException interpolationError(String section, Entry entry, String problem)
    {
        return new ConfigException(location(entry) + ": [" + section + "] " + entry.key() + ": " + problem);
    }
}
