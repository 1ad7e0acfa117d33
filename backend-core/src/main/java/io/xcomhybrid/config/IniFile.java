package io.xcomhybrid.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ini file with the rules of Python's {@code configparser} as Airflow uses it: {@code [section]} headers,
 * {@code key = value} or {@code key: value}, full-line {@code #} and {@code ;} comments, and indented continuation
 * lines. No library fits these rules exactly, so this small reader is written here.
 */
final class IniFile
{
    private IniFile() {}

    static List<ConfigValue> read(Path path)
    {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e) {
            throw new ConfigException("Config file not found: " + path);
        }
        catch (IOException e) {
            throw new ConfigException("Cannot read config file " + path + ": " + e.getMessage(), e);
        }
        return parse(path.toString(), lines);
    }

    static List<ConfigValue> parse(String fileName, List<String> lines)
    {
        List<ConfigValue> values = new ArrayList<>();
        String section = null;
        String key = null;
        StringBuilder value = null;
        int keyLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String stripped = raw.strip();
            int lineNumber = i + 1;
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            boolean indented = Character.isWhitespace(raw.charAt(0));
            if (indented && key != null) {
                value.append('\n').append(stripped);
                continue;
            }
            if (key != null) {
                values.add(entry(fileName, section, key, value.toString(), keyLine));
                key = null;
            }
            if (stripped.startsWith("[")) {
                if (!stripped.endsWith("]") || stripped.length() < 3) {
                    throw new ConfigException(fileName + ":" + lineNumber + ": malformed section header: " + stripped);
                }
                section = AirflowConfig.normalize(stripped.substring(1, stripped.length() - 1));
                continue;
            }
            int eq = stripped.indexOf('=');
            int colon = stripped.indexOf(':');
            int split = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (split <= 0) {
                throw new ConfigException(fileName + ":" + lineNumber + ": expected 'key = value' but found: " + stripped);
            }
            if (section == null) {
                throw new ConfigException(fileName + ":" + lineNumber + ": key '" + stripped.substring(0, split).strip()
                        + "' appears before any [section] header");
            }
            key = AirflowConfig.normalize(stripped.substring(0, split));
            value = new StringBuilder(stripped.substring(split + 1).strip());
            keyLine = lineNumber;
        }
        if (key != null) {
            values.add(entry(fileName, section, key, value.toString(), keyLine));
        }
        return values;
    }

    private static ConfigValue entry(String fileName, String section, String key, String value, int line)
    {
        return new ConfigValue(section, key, value, fileName + ":" + line, AirflowConfig.isSecretKey(key));
    }
}
