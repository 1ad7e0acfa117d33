package io.xcomhybrid.metadata;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A database named by Airflow's {@code [database] sql_alchemy_conn}, translated to JDBC.
 *
 * <p>Accepted forms (SQLAlchemy URL syntax, parsed with SQLAlchemy's own pattern):
 * <ul>
 *   <li>{@code sqlite:////abs/path.db}, {@code sqlite:///relative.db} (resolved against the working directory, as
 *       SQLAlchemy does), {@code sqlite://} and {@code sqlite:///:memory:} (an in-memory database private to this
 *       process); a driver suffix such as {@code sqlite+pysqlite} is ignored;</li>
 *   <li>{@code postgresql://}, {@code postgresql+psycopg2://} (any driver suffix) and {@code postgres://}, as
 *       {@code user:password@host:port/database?param=value}; user and password are URL-decoded. Query parameters
 *       use libpq's names: {@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey},
 *       {@code sslpassword}, {@code connect_timeout} (seconds), {@code application_name} and {@code options};</li>
 *   <li>a JDBC URL ({@code jdbc:postgresql:...} or {@code jdbc:sqlite:...}), used verbatim.</li>
 * </ul>
 * The password never appears in {@link #toString()}, {@link #describe()} or any error message.
 */
public final class DatabaseUrl
{
    public enum Dialect
    {
        SQLITE("SQLite"),
        POSTGRESQL("PostgreSQL");

        private final String displayName;

        Dialect(String displayName)
        {
            this.displayName = displayName;
        }

        public String displayName()
        {
            return displayName;
        }
    }

    // sqlalchemy/engine/url.py _parse_url, verbatim apart from Java's named-group syntax
    private static final Pattern SQLALCHEMY_URL = Pattern.compile(
            "(?<name>[\\w+]+)://"
                    + "(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?"
                    + "(?:(?:\\[(?<ipv6host>[^/?]+)]|(?<ipv4host>[^/:?]+))?(?::(?<port>[^/?]*))?)?"
                    + "(?:/(?<database>[^?]*))?"
                    + "(?:\\?(?<query>.*))?",
            Pattern.DOTALL);

    private static final Pattern JDBC_PASSWORD = Pattern.compile("(?i)((?:^|[?&;])password=)[^&;]*");

    // libpq parameter name -> pgjdbc property name
    private static final Map<String, String> POSTGRESQL_PARAMETERS = Map.of(
            "sslmode", "sslmode",
            "sslrootcert", "sslrootcert",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "sslpassword", "sslpassword",
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "options", "options");

    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private final Dialect dialect;
    private final String jdbcUrl;
    private final Optional<String> user;
    private final Optional<String> password;
    private final Map<String, String> properties;
    private final Optional<Path> sqliteFile;
    private final String display;

    private DatabaseUrl(Dialect dialect, String jdbcUrl, Optional<String> user, Optional<String> password, Map<String, String> properties, Optional<Path> sqliteFile, String display)
    {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl is null");
        this.user = requireNonNull(user, "user is null");
        this.password = requireNonNull(password, "password is null");
        this.properties = Map.copyOf(properties);
        this.sqliteFile = requireNonNull(sqliteFile, "sqliteFile is null");
        this.display = requireNonNull(display, "display is null");
    }

    /**
     * Parses a {@code sql_alchemy_conn} value or a JDBC URL.
     *
     * @throws IllegalArgumentException for a malformed URL or an unsupported dialect; the message never contains the password
     */
    public static DatabaseUrl parse(String url)
    {
        requireNonNull(url, "url is null");
        String text = url.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("database URL is empty");
        }
        if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return parseJdbc(text);
        }
        Matcher matcher = SQLALCHEMY_URL.matcher(text);
        if (!matcher.matches()) {
            // not echoed: without structure there is no telling where a password sits
            throw new IllegalArgumentException("not a SQLAlchemy URL (expected dialect://user:password@host:port/database) nor a jdbc: URL");
        }
        String name = matcher.group("name").toLowerCase(Locale.ROOT);
        String backend = name.contains("+") ? name.substring(0, name.indexOf('+')) : name;
        return switch (backend) {
            case "sqlite" -> sqlite(matcher, text);
            case "postgresql", "postgres" -> postgresql(matcher, text);
            default -> throw new IllegalArgumentException("unsupported database '" + name + "' in '" + mask(text)
                    + "': the XCom metadata store supports PostgreSQL (postgresql://) and SQLite (sqlite://)");
        };
    }

    private static DatabaseUrl sqlite(Matcher matcher, String text)
    {
        if (matcher.group("username") != null || matcher.group("ipv4host") != null || matcher.group("ipv6host") != null || matcher.group("port") != null) {
            throw new IllegalArgumentException("SQLite URL must not name a user or host (use sqlite:////absolute/path.db): '" + mask(text) + "'");
        }
        if (matcher.group("query") != null) {
            throw new IllegalArgumentException("SQLite URL query parameters are not supported: '" + mask(text) + "'");
        }
        String database = matcher.group("database");
        if (database == null || database.isEmpty() || database.equals(":memory:")) {
            return new DatabaseUrl(Dialect.SQLITE, "jdbc:sqlite::memory:", Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), text);
        }
        Path file = Path.of(database).toAbsolutePath().normalize();
        return new DatabaseUrl(Dialect.SQLITE, "jdbc:sqlite:" + file, Optional.empty(), Optional.empty(), Map.of(), Optional.of(file), text);
    }

    private static DatabaseUrl postgresql(Matcher matcher, String text)
    {
        Optional<String> user = Optional.ofNullable(matcher.group("username")).filter(value -> !value.isEmpty()).map(DatabaseUrl::decode);
        Optional<String> password = Optional.ofNullable(matcher.group("password")).map(DatabaseUrl::decode);
        String host;
        if (matcher.group("ipv6host") != null) {
            host = "[" + matcher.group("ipv6host") + "]";
        }
        else if (matcher.group("ipv4host") != null) {
            host = matcher.group("ipv4host");
        }
        else {
            // libpq's default would be a Unix socket, which JDBC cannot use
            throw new IllegalArgumentException("PostgreSQL URL has no host (Unix sockets are not supported, use host:port): '" + mask(text) + "'");
        }
        String port = "";
        if (matcher.group("port") != null && !matcher.group("port").isEmpty()) {
            int number;
            try {
                number = Integer.parseInt(matcher.group("port"));
            }
            catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException("invalid port '" + matcher.group("port") + "' in '" + mask(text) + "'");
            }
            port = ":" + number;
        }
        String database = Optional.ofNullable(matcher.group("database")).orElse("");

        Map<String, String> properties = new LinkedHashMap<>();
        if (matcher.group("query") != null && !matcher.group("query").isEmpty()) {
            for (String pair : matcher.group("query").split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                String property = POSTGRESQL_PARAMETERS.get(name);
                if (property == null) {
                    throw new IllegalArgumentException("unsupported PostgreSQL URL parameter '" + name + "' in '" + mask(text)
                            + "' (supported: " + String.join(", ", new TreeSet<>(POSTGRESQL_PARAMETERS.keySet())) + ")");
                }
                if (properties.containsKey(property)) {
                    throw new IllegalArgumentException("PostgreSQL URL parameter '" + name + "' given twice in '" + mask(text) + "'");
                }
                if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
                    throw new IllegalArgumentException("invalid sslmode '" + value + "' in '" + mask(text) + "' (one of disable, allow, prefer, require, verify-ca, verify-full)");
                }
                if (name.equals("connect_timeout") && !value.matches("\\d+")) {
                    throw new IllegalArgumentException("connect_timeout must be a whole number of seconds in '" + mask(text) + "'");
                }
                properties.put(property, value);
            }
        }
        String jdbcUrl = "jdbc:postgresql://" + host + port + "/" + database;
        return new DatabaseUrl(Dialect.POSTGRESQL, jdbcUrl, user, password, properties, Optional.empty(), text);
    }

    private static DatabaseUrl parseJdbc(String text)
    {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(Dialect.POSTGRESQL, text, Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), text);
        }
        if (lower.startsWith("jdbc:sqlite:")) {
            String target = text.substring("jdbc:sqlite:".length());
            int query = target.indexOf('?');
            if (query >= 0) {
                target = target.substring(0, query);
            }
            if (target.startsWith("file:")) {
                target = target.substring("file:".length());
            }
            Optional<Path> file = target.isEmpty() || target.equals(":memory:") || target.contains("mode=memory")
                    ? Optional.empty()
                    : Optional.of(Path.of(target).toAbsolutePath().normalize());
            return new DatabaseUrl(Dialect.SQLITE, text, Optional.empty(), Optional.empty(), Map.of(), file, text);
        }
        throw new IllegalArgumentException("unsupported JDBC URL '" + mask(text) + "': the XCom metadata store supports jdbc:postgresql: and jdbc:sqlite:");
    }

    private static String decode(String value)
    {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL with any password replaced by {@code ****}. */
    static String mask(String url)
    {
        if (url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return JDBC_PASSWORD.matcher(url).replaceAll("$1****");
        }
        Matcher matcher = SQLALCHEMY_URL.matcher(url);
        if (!matcher.matches()) {
            return "<unparseable URL>";
        }
        String masked = url;
        if (matcher.group("password") != null) {
            masked = url.substring(0, matcher.start("password")) + "****" + url.substring(matcher.end("password"));
        }
        return masked.replaceAll("(?i)(sslpassword=)[^&]*", "$1****");
    }

    public Dialect dialect()
    {
        return dialect;
    }

    /** The JDBC URL without user and password (a verbatim {@code jdbc:} URL may carry them itself). */
    public String jdbcUrl()
    {
        return jdbcUrl;
    }

    public Optional<String> user()
    {
        return user;
    }

    /** The password; never print it. */
    public Optional<String> password()
    {
        return password;
    }

    /** Driver properties translated from the URL's query (pgjdbc names); may hold {@code sslpassword}, never print them. */
    public Map<String, String> properties()
    {
        return properties;
    }

    /** The SQLite database file; empty for an in-memory database or PostgreSQL. */
    public Optional<Path> sqliteFile()
    {
        return sqliteFile;
    }

    public boolean isInMemory()
    {
        return dialect == Dialect.SQLITE && sqliteFile.isEmpty();
    }

    /** Human-readable target for messages, e.g. {@code PostgreSQL postgresql://airflow:****@db:5432/airflow}. */
    public String describe()
    {
        if (isInMemory()) {
            return "SQLite in-memory database";
        }
        if (dialect == Dialect.SQLITE && !display.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return "SQLite " + sqliteFile.orElseThrow();
        }
        return dialect.displayName() + " " + mask(display);
    }

    @Override
    public String toString()
    {
        return describe();
    }
}
