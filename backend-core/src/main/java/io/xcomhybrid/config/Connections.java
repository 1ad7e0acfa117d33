package io.xcomhybrid.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses Airflow connection strings as the environment-variables secrets backend does: a value starting with
 * {@code {} (after trimming) is {@code Connection.from_json}, anything else is a URI parsed like
 * {@code Connection.from_uri} of the Airflow 3 task SDK, on Python's {@code urlsplit} rules:
 * <ul>
 * <li>{@code conn-type://login:password@host:port/schema?k=v}; the scheme is lower-cased, {@code postgresql}
 * becomes {@code postgres} and {@code -} becomes {@code _};</li>
 * <li>the login is before the first {@code :} of the user-info, which ends at the <em>last</em> {@code @};
 * login, password, host and schema are percent-decoded ({@code +} stays a plus); the host is lower-cased;</li>
 * <li>two {@code ://} mean the host carries its own protocol ({@code type://https://host}); more than two are an error;</li>
 * <li>query parameters ({@code +} is a space) become the extra, string-valued; a {@code __extra__} parameter instead
 * holds the whole extra as JSON. Airflow 2's core parser would also JSON-decode each parameter value
 * ({@code ?timeout=5} gives the number 5 there, the string {@code "5"} here).</li>
 * </ul>
 * Messages name the source variable and the problem, never the value.
 */
final class Connections
{
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> JSON_FIELDS = Set.of("conn_type", "description", "host", "login", "password", "schema", "port", "extra");
    private static final String EXTRA_KEY = "__extra__";
    private static final String SCHEME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";

    private Connections() {}

    /**
     * @param source names where the value came from, for errors; the value itself never appears in messages
     */
    static Connection parse(String connId, String value, String source)
    {
        String text = PythonText.strip(value);
        if (text.isEmpty()) {
            throw new ConfigException("Connection " + source + " is empty");
        }
        if (text.startsWith("{")) {
            return parseJson(connId, text, source);
        }
        return parseUri(connId, text, source);
    }

    private static Connection parseJson(String connId, String text, String source)
    {
        Object parsed = readJson(text, source, "the value");
        if (!(parsed instanceof Map<?, ?> json)) {
            throw new ConfigException("Connection " + source + " is JSON but not an object");
        }
        Set<String> unknown = new TreeSet<>();
        json.keySet().forEach(key -> {
            if (!JSON_FIELDS.contains(String.valueOf(key))) {
                unknown.add(String.valueOf(key));
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("Connection " + source + " has unknown fields " + unknown + " (Airflow accepts " + new TreeSet<>(JSON_FIELDS) + ")");
        }
        String connType = optionalString(json.get("conn_type")).map(Connections::normalizeType).orElse("");
        return new Connection(connId, connType,
                optionalString(json.get("host")), optionalString(json.get("login")), optionalString(json.get("password")),
                optionalString(json.get("schema")), jsonPort(json.get("port"), source), extra(json.get("extra"), source));
    }

    // Connection.from_json: a falsy port is no port, anything else goes through int()
    private static Optional<Integer> jsonPort(Object port, String source)
    {
        if (port == null || Boolean.FALSE.equals(port) || "".equals(port) || (port instanceof Number n && n.doubleValue() == 0)) {
            return Optional.empty();
        }
        long number;
        if (port instanceof Boolean) {
            number = 1;
        }
        else if (port instanceof Number n) {
            if (Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
                throw new ConfigException("Connection " + source + " has a port that is not an integer");
            }
            if (Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                throw new ConfigException("Connection " + source + " has a port out of range");
            }
            number = n.longValue();
        }
        else if (port instanceof String s) {
            OptionalLong parsed = PythonText.parseInt(s);
            if (parsed.isEmpty()) {
                throw new ConfigException("Connection " + source + " has a port that is not an integer");
            }
            number = parsed.getAsLong();
        }
        else {
            throw new ConfigException("Connection " + source + " has a port that is not an integer");
        }
        if (number != (int) number) {
            throw new ConfigException("Connection " + source + " has a port out of range");
        }
        return Optional.of((int) number);
    }

    private static Connection parseUri(String connId, String uri, String source)
    {
        int schemes = count(uri, "://");
        if (schemes == 0) {
            throw new ConfigException("Connection " + source + " is neither JSON nor a URI of the form conn-type://login:password@host:port/schema?extra=value");
        }
        if (schemes > 2) {
            throw new ConfigException("Connection " + source + " is not a valid connection URI: it contains '://' more than twice"
                    + " (URL-encode '://' inside query values)");
        }
        boolean hostWithProtocol = schemes == 2;
        SplitUrl parts = SplitUrl.split(uri, source);
        String rawType = parts.scheme();
        if (rawType.isEmpty()) {
            throw new ConfigException("Connection " + source + " has no connection type before '://'");
        }
        String rest = uri.replace(rawType + "://", hostWithProtocol ? "" : "//");
        if (hostWithProtocol) {
            String beforeProtocol = rest.split("://", 2)[0];
            if (beforeProtocol.contains("@") || beforeProtocol.contains(":")) {
                throw new ConfigException("Connection " + source + " is not a valid connection URI: with a protocol in the host"
                        + " (type://protocol://host), nothing may come between the two '://'");
            }
        }
        parts = SplitUrl.split(rest, source);
        String host = parts.hostForConnection();
        if (hostWithProtocol && !host.isEmpty()) {
            host = parts.scheme() + "://" + host;
        }
        String schema = parts.path().isEmpty() ? "" : PythonText.unquote(parts.path().substring(1));
        Optional<String> login = parts.username().filter(name -> !name.isEmpty()).map(PythonText::unquote);
        Optional<String> password = parts.password().filter(name -> !name.isEmpty()).map(PythonText::unquote);
        Optional<Integer> port = parts.port();
        Map<String, Object> extra = Map.of();
        if (!parts.query().isEmpty()) {
            Map<String, Object> query = new LinkedHashMap<>();
            for (String[] pair : parseQuery(parts.query())) {
                query.put(pair[0], pair[1]);
            }
            extra = query.containsKey(EXTRA_KEY) ? extra(query.get(EXTRA_KEY), source) : query;
        }
        return new Connection(connId, normalizeType(rawType), nonEmpty(host), login, password, nonEmpty(schema), port, extra);
    }

    /** Python's {@code parse_qsl(query, keep_blank_values=True)}: {@code &}-separated, {@code +} is a space. */
    static List<String[]> parseQuery(String query)
    {
        List<String[]> pairs = new ArrayList<>();
        for (String field : query.split("&", -1)) {
            if (field.isEmpty()) {
                continue;
            }
            int equals = field.indexOf('=');
            String name = equals < 0 ? field : field.substring(0, equals);
            String value = equals < 0 ? "" : field.substring(equals + 1);
            pairs.add(new String[] {PythonText.unquote(name.replace('+', ' ')), PythonText.unquote(value.replace('+', ' '))});
        }
        return pairs;
    }

    /**
     * The extra as Airflow takes it: a JSON object, or a string holding one. Falsy values ({@code null}, {@code ""},
     * {@code {}}, ...) mean no extra; anything else that is not a JSON object is an error, as in Airflow's
     * {@code _validate_extra}.
     */
    private static Map<String, Object> extra(Object extra, String source)
    {
        if (extra == null || Boolean.FALSE.equals(extra) || (extra instanceof Number n && n.doubleValue() == 0)) {
            return Map.of();
        }
        Object parsed = extra;
        if (extra instanceof String text) {
            if (text.isEmpty()) {
                return Map.of();
            }
            parsed = readJson(text, source, "the extra");
        }
        if (parsed instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        if (parsed instanceof List<?> list && list.isEmpty() && !(extra instanceof String)) {
            return Map.of();
        }
        throw new ConfigException("Connection " + source + " has an extra that is not a JSON object");
    }

    private static Object readJson(String text, String source, String what)
    {
        try {
            return MAPPER.readValue(text, Object.class);
        }
        catch (JsonProcessingException e) {
            // The location only: Jackson's message would quote the text, which may hold a secret.
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConfigException("Connection " + source + ": " + what + " is not valid JSON" + where);
        }
    }

    private static Optional<String> optionalString(Object value)
    {
        if (value == null) {
            return Optional.empty();
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static Optional<String> nonEmpty(String value)
    {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    static String normalizeType(String type)
    {
        return type.equals("postgresql") ? "postgres" : type.replace('-', '_');
    }

    private static int count(String text, String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** The parts of Python's {@code urllib.parse.urlsplit} that connection parsing uses. */
    record SplitUrl(String scheme, String netloc, String path, String query, String source)
    {
        static SplitUrl split(String url, String source)
        {
            int start = 0;
            while (start < url.length() && url.charAt(start) <= ' ') {
                start++;
            }
            url = url.substring(start).replace("\t", "").replace("\r", "").replace("\n", "");
            String scheme = "";
            int colon = url.indexOf(':');
            if (colon > 0 && isAsciiLetter(url.charAt(0)) && url.substring(0, colon).chars().allMatch(c -> SCHEME_CHARS.indexOf(c) >= 0)) {
                scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
                url = url.substring(colon + 1);
            }
            String netloc = "";
            if (url.startsWith("//")) {
                int end = url.length();
                for (char delimiter : new char[] {'/', '?', '#'}) {
                    int at = url.indexOf(delimiter, 2);
                    if (at >= 0) {
                        end = Math.min(end, at);
                    }
                }
                netloc = url.substring(2, end);
                url = url.substring(end);
                if (netloc.contains("[") != netloc.contains("]")) {
                    throw new ConfigException("Connection " + source + " is not a valid URI: unbalanced '[' or ']' in the host (invalid IPv6 address)");
                }
            }
            int hash = url.indexOf('#');
            if (hash >= 0) {
                url = url.substring(0, hash);
            }
            String query = "";
            int question = url.indexOf('?');
            if (question >= 0) {
                query = url.substring(question + 1);
                url = url.substring(0, question);
            }
            return new SplitUrl(scheme, netloc, url, query, source);
        }

        private static boolean isAsciiLetter(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private String userInfo()
        {
            int at = netloc.lastIndexOf('@');
            return at < 0 ? null : netloc.substring(0, at);
        }

        Optional<String> username()
        {
            String userInfo = userInfo();
            if (userInfo == null) {
                return Optional.empty();
            }
            int colon = userInfo.indexOf(':');
            return Optional.of(colon < 0 ? userInfo : userInfo.substring(0, colon));
        }

        Optional<String> password()
        {
            String userInfo = userInfo();
            if (userInfo == null || userInfo.indexOf(':') < 0) {
                return Optional.empty();
            }
            return Optional.of(userInfo.substring(userInfo.indexOf(':') + 1));
        }

        /** {@code [hostname, port]} as Python's {@code _hostinfo}; either may be null. */
        private String[] hostInfo()
        {
            String hostInfo = netloc.substring(netloc.lastIndexOf('@') + 1);
            String hostname;
            String port;
            int open = hostInfo.indexOf('[');
            if (open >= 0) {
                String bracketed = hostInfo.substring(open + 1);
                int close = bracketed.indexOf(']');
                hostname = close < 0 ? bracketed : bracketed.substring(0, close);
                String afterBracket = close < 0 ? "" : bracketed.substring(close + 1);
                int colon = afterBracket.indexOf(':');
                port = colon < 0 ? "" : afterBracket.substring(colon + 1);
            }
            else {
                int colon = hostInfo.indexOf(':');
                hostname = colon < 0 ? hostInfo : hostInfo.substring(0, colon);
                port = colon < 0 ? "" : hostInfo.substring(colon + 1);
            }
            return new String[] {hostname, port.isEmpty() ? null : port};
        }

        /** Python's {@code .hostname}: lower-cased except an IPv6 zone after {@code %}; null when empty. */
        String hostname()
        {
            String hostname = hostInfo()[0];
            if (hostname.isEmpty()) {
                return null;
            }
            int percent = hostname.indexOf('%');
            return percent < 0 ? hostname.toLowerCase(Locale.ROOT)
                    : hostname.substring(0, percent).toLowerCase(Locale.ROOT) + hostname.substring(percent);
        }

        /** Airflow's {@code _parse_netloc_to_hostname}: the decoded hostname, or the raw host part when it decodes to a path. */
        String hostForConnection()
        {
            String hostname = PythonText.unquote(hostname() == null ? "" : hostname());
            if (hostname.contains("/")) {
                hostname = netloc;
                int at = hostname.lastIndexOf('@');
                if (at >= 0) {
                    hostname = hostname.substring(at + 1);
                }
                int colon = hostname.indexOf(':');
                if (colon >= 0) {
                    hostname = hostname.substring(0, colon);
                }
                hostname = PythonText.unquote(hostname);
            }
            return hostname;
        }

        /** Python's {@code .port}: ASCII digits only, 0 to 65535. */
        Optional<Integer> port()
        {
            String port = hostInfo()[1];
            if (port == null) {
                return Optional.empty();
            }
            // The port text is not quoted: a password with an unencoded '/' or '@' lands here.
            if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new ConfigException("Connection " + source + " has a port that is not an integer"
                        + " (URL-encode '/', '?', '#', '@' and ':' inside the login and password)");
            }
            BigInteger number = new BigInteger(port);
            if (number.compareTo(BigInteger.valueOf(65535)) > 0) {
                throw new ConfigException("Connection " + source + " has a port out of range 0-65535");
            }
            return Optional.of(number.intValueExact());
        }
    }
}
