package io.xcomhybrid.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Parses Airflow connection strings: the JSON form and the URI form of {@code AIRFLOW_CONN_*}. */
final class Connections
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Connections() {}

    /**
     * @param source names where the value came from, for errors; the value itself never appears in messages
     */
    static Connection parse(String connId, String value, String source)
    {
        String text = value.strip();
        if (text.startsWith("{")) {
            return parseJson(connId, text, source);
        }
        return parseUri(connId, text, source);
    }

    @SuppressWarnings("unchecked")
    private static Connection parseJson(String connId, String text, String source)
    {
        Map<String, Object> json;
        try {
            json = MAPPER.readValue(text, Map.class);
        }
        catch (JsonProcessingException e) {
            throw new ConfigException("Connection " + source + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        Object connType = json.get("conn_type");
        if (connType == null) {
            throw new ConfigException("Connection " + source + " has no conn_type");
        }
        Object port = json.get("port");
        Integer portNumber = null;
        if (port != null) {
            try {
                portNumber = Integer.valueOf(String.valueOf(port).trim());
            }
            catch (NumberFormatException e) {
                throw new ConfigException("Connection " + source + " has a port that is not an integer");
            }
        }
        return new Connection(connId, normalizeType(String.valueOf(connType)),
                optionalString(json.get("host")), optionalString(json.get("login")), optionalString(json.get("password")),
                optionalString(json.get("schema")), Optional.ofNullable(portNumber), extra(json.get("extra"), source));
    }

    private static Connection parseUri(String connId, String text, String source)
    {
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw new ConfigException("Connection " + source + " is neither JSON nor a URI of the form conn-type://...");
        }
        String connType = normalizeType(text.substring(0, schemeEnd));
        String rest = text.substring(schemeEnd + 3);
        String hostPrefix = "";
        // A doubled scheme (type://proto://host) means the host itself carries a protocol.
        int inner = rest.indexOf("://");
        int slash = rest.indexOf('/');
        if (inner > 0 && (slash < 0 || inner < slash)) {
            hostPrefix = rest.substring(0, inner) + "://";
            rest = rest.substring(inner + 3);
        }
        URI uri;
        try {
            uri = new URI("x://" + rest);
        }
        catch (URISyntaxException e) {
            throw new ConfigException("Connection " + source + " is not a valid URI: " + e.getReason());
        }
        String login = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null && uri.getHost() == null && uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            // An empty host, as in Airflow's documented aws://KEY:SECRET@/?region_name=..., leaves java.net.URI with a
            // registry-based authority and no user info.
            userInfo = uri.getRawAuthority().substring(0, uri.getRawAuthority().lastIndexOf('@'));
        }
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            login = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost() == null ? null : hostPrefix + decode(uri.getHost());
        String path = uri.getRawPath();
        String schema = path == null || path.length() <= 1 ? null : decode(path.substring(1));
        Map<String, Object> extra = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String val = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (name.equals("__extra__")) {
                    return new Connection(connId, connType, Optional.ofNullable(host), Optional.ofNullable(login),
                            Optional.ofNullable(password), Optional.ofNullable(schema), port(uri), extra(val, source));
                }
                extra.put(name, val);
            }
        }
        return new Connection(connId, connType, Optional.ofNullable(host), Optional.ofNullable(login), Optional.ofNullable(password),
                Optional.ofNullable(schema), port(uri), extra);
    }

    private static Optional<Integer> port(URI uri)
    {
        return uri.getPort() < 0 ? Optional.empty() : Optional.of(uri.getPort());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extra(Object extra, String source)
    {
        if (extra == null) {
            return Map.of();
        }
        if (extra instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        String text = String.valueOf(extra).strip();
        if (text.isEmpty()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(text, Map.class);
        }
        catch (JsonProcessingException e) {
            throw new ConfigException("Connection " + source + " has an extra that is not a JSON object");
        }
    }

    private static Optional<String> optionalString(Object value)
    {
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    private static String normalizeType(String scheme)
    {
        String type = scheme.replace('-', '_');
        return type.equals("postgresql") ? "postgres" : type;
    }

    private static String decode(String text)
    {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
