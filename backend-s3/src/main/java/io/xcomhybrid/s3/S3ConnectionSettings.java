package io.xcomhybrid.s3;

import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What an Airflow {@code aws} connection says about reaching S3, read the way the Airflow amazon provider's
 * {@code AwsConnectionWrapper} and {@code fs/s3.py} read it:
 * <ul>
 *   <li>credentials: login/password first, else extras {@code aws_access_key_id}/{@code aws_secret_access_key}, plus
 *       {@code aws_session_token}; else extra {@code profile_name}; else the SDK's default chain;</li>
 *   <li>{@code region_name}; {@code endpoint_url}, overridden by {@code service_config.s3.endpoint_url} (the host
 *       field is not used, as in the provider);</li>
 *   <li>{@code role_arn} with {@code assume_role_method} {@code assume_role} (the only one supported here) and
 *       {@code assume_role_kwargs} ({@code RoleSessionName}, {@code ExternalId}, {@code DurationSeconds}); STS is
 *       called at {@code service_config.sts.endpoint_url} if set, never at the S3 endpoint;</li>
 *   <li>{@code config_kwargs}: {@code s3.addressing_style}, {@code signature_version: unsigned} (anonymous),
 *       {@code connect_timeout}, {@code read_timeout}, {@code retries.max_attempts}/{@code total_max_attempts}.</li>
 * </ul>
 * {@link #toString()} never shows secrets.
 */
public record S3ConnectionSettings(
        Optional<String> connId,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        Optional<String> sessionToken,
        Optional<String> profileName,
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<URI> stsEndpoint,
        Optional<String> roleArn,
        Optional<String> roleSessionName,
        Optional<String> externalId,
        Optional<Duration> roleDuration,
        Optional<AddressingStyle> addressingStyle,
        boolean anonymous,
        Optional<Duration> connectTimeout,
        Optional<Duration> readTimeout,
        Optional<Integer> maxAttempts)
{
    private static final Logger log = LoggerFactory.getLogger(S3ConnectionSettings.class);

    public enum AddressingStyle
    {
        AUTO, PATH, VIRTUAL
    }

    public S3ConnectionSettings
    {
        requireNonNull(connId, "connId is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(sessionToken, "sessionToken is null");
        requireNonNull(profileName, "profileName is null");
        requireNonNull(region, "region is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(stsEndpoint, "stsEndpoint is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(roleSessionName, "roleSessionName is null");
        requireNonNull(externalId, "externalId is null");
        requireNonNull(roleDuration, "roleDuration is null");
        requireNonNull(addressingStyle, "addressingStyle is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        requireNonNull(maxAttempts, "maxAttempts is null");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("access key id and secret access key must be given together");
        }
    }

    /** No connection: the SDK's default credential chain and region. */
    public static S3ConnectionSettings defaults()
    {
        return new S3ConnectionSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Settings for a location's conn_id. A conn_id without a connection falls back to the default chain with a
     * warning, as the amazon provider does.
     *
     * @throws ConfigException naming the connection and extra for a malformed or unsupported value
     */
    public static S3ConnectionSettings from(Optional<String> connId, Optional<Connection> connection)
    {
        if (connection.isEmpty()) {
            connId.ifPresent(id -> log.warn("AWS connection '{}' not found (no AIRFLOW_CONN_{} variable); using the default AWS credential chain",
                    id, id.toUpperCase(Locale.ROOT)));
            S3ConnectionSettings defaults = defaults();
            return connId.isEmpty() ? defaults : defaults.withConnId(connId.get());
        }
        Connection conn = connection.get();
        String name = "connection '" + conn.connId() + "'";
        if (!conn.connType().equals("aws")) {
            log.warn("Connection '{}' has conn_type '{}', expected 'aws'; reading it as an AWS connection", conn.connId(), conn.connType());
        }
        Map<String, Object> extra = conn.extra();

        Optional<String> accessKeyId;
        Optional<String> secretAccessKey;
        if (nonEmpty(conn.login()).isPresent() && nonEmpty(conn.password()).isPresent()) {
            accessKeyId = nonEmpty(conn.login());
            secretAccessKey = nonEmpty(conn.password());
        }
        else if (string(extra, "aws_access_key_id", name).isPresent() && string(extra, "aws_secret_access_key", name).isPresent()) {
            accessKeyId = string(extra, "aws_access_key_id", name);
            secretAccessKey = string(extra, "aws_secret_access_key", name);
        }
        else {
            accessKeyId = Optional.empty();
            secretAccessKey = Optional.empty();
        }
        Optional<String> sessionToken = string(extra, "aws_session_token", name);

        Map<String, Object> serviceConfig = map(extra, "service_config", name);
        Optional<URI> endpoint = string(map(serviceConfig, "s3", name + " service_config"), "endpoint_url", name + " service_config.s3")
                .or(() -> string(extra, "endpoint_url", name))
                .map(text -> endpointUri(text, name));
        Optional<URI> stsEndpoint = string(map(serviceConfig, "sts", name + " service_config"), "endpoint_url", name + " service_config.sts")
                .map(text -> endpointUri(text, name));

        Optional<String> roleArn = string(extra, "role_arn", name);
        String method = string(extra, "assume_role_method", name).orElse("assume_role");
        if (roleArn.isPresent() && !method.equals("assume_role")) {
            throw new ConfigException("Unsupported assume_role_method '" + method + "' in " + name + " extra; only 'assume_role' is supported");
        }
        Map<String, Object> roleKwargs = map(extra, "assume_role_kwargs", name);
        Optional<String> roleSessionName = string(roleKwargs, "RoleSessionName", name + " assume_role_kwargs");
        Optional<String> externalId = string(roleKwargs, "ExternalId", name + " assume_role_kwargs");
        Optional<Duration> roleDuration = number(roleKwargs, "DurationSeconds", name + " assume_role_kwargs").map(Duration::ofSeconds);

        Map<String, Object> configKwargs = map(extra, "config_kwargs", name);
        Optional<AddressingStyle> addressingStyle = string(map(configKwargs, "s3", name + " config_kwargs"), "addressing_style", name + " config_kwargs.s3")
                .map(style -> switch (style.toLowerCase(Locale.ROOT)) {
                    case "auto" -> AddressingStyle.AUTO;
                    case "path" -> AddressingStyle.PATH;
                    case "virtual" -> AddressingStyle.VIRTUAL;
                    default -> throw new ConfigException("Invalid config_kwargs.s3.addressing_style '" + style + "' in " + name
                            + " extra (expected auto, path or virtual)");
                });
        boolean anonymous = string(configKwargs, "signature_version", name + " config_kwargs").filter("unsigned"::equals).isPresent();
        Optional<Duration> connectTimeout = seconds(configKwargs, "connect_timeout", name + " config_kwargs");
        Optional<Duration> readTimeout = seconds(configKwargs, "read_timeout", name + " config_kwargs");
        Map<String, Object> retries = map(configKwargs, "retries", name + " config_kwargs");
        // botocore: total_max_attempts counts the first call, max_attempts counts retries only
        Optional<Integer> maxAttempts = number(retries, "total_max_attempts", name + " config_kwargs.retries").map(Long::intValue)
                .or(() -> number(retries, "max_attempts", name + " config_kwargs.retries").map(retriesOnly -> retriesOnly.intValue() + 1));
        if (endpoint.isEmpty() && conn.host().filter(host -> !host.isBlank()).isPresent()) {
            log.warn("Host of {} is ignored, as by the amazon provider since 8.0; set extra 'endpoint_url' for a custom S3 endpoint", name);
        }
        if (extra.containsKey("verify")) {
            log.warn("Extra 'verify' of {} is ignored: TLS certificates are checked against the JVM trust store", name);
        }

        return new S3ConnectionSettings(Optional.of(conn.connId()), accessKeyId, secretAccessKey, sessionToken, string(extra, "profile_name", name),
                string(extra, "region_name", name), endpoint, stsEndpoint, roleArn, roleSessionName, externalId, roleDuration, addressingStyle,
                anonymous, connectTimeout, readTimeout, maxAttempts);
    }

    private S3ConnectionSettings withConnId(String id)
    {
        return new S3ConnectionSettings(Optional.of(id), accessKeyId, secretAccessKey, sessionToken, profileName, region, endpoint, stsEndpoint,
                roleArn, roleSessionName, externalId, roleDuration, addressingStyle, anonymous, connectTimeout, readTimeout, maxAttempts);
    }

    /** Path-style requests ({@code endpoint/bucket/key}) unless virtual hosting is asked for; always for a custom endpoint. */
    public boolean pathStyle()
    {
        return addressingStyle.map(style -> style == AddressingStyle.PATH)
                .orElse(false)
                || (endpoint.isPresent() && addressingStyle.filter(style -> style == AddressingStyle.VIRTUAL).isEmpty());
    }

    /** The session name Airflow uses for AssumeRole unless {@code RoleSessionName} is given. */
    public String effectiveRoleSessionName()
    {
        return roleSessionName.orElseGet(() -> ("Airflow_" + connId.orElse("default")).replaceAll("[^\\w+=,.@-]", ""));
    }

    /** Names the connection for error messages. */
    public String describe()
    {
        return connId.map(id -> "connection '" + id + "'").orElse("the default AWS credential chain");
    }

    @Override
    public String toString()
    {
        return "S3ConnectionSettings{connId=" + connId.orElse("") + ", accessKeyId=" + accessKeyId.map(id -> "****").orElse("")
                + ", secretAccessKey=" + secretAccessKey.map(id -> "****").orElse("") + ", sessionToken=" + sessionToken.map(id -> "****").orElse("")
                + ", profileName=" + profileName.orElse("") + ", region=" + region.orElse("") + ", endpoint=" + endpoint.map(URI::toString).orElse("")
                + ", roleArn=" + roleArn.orElse("") + ", pathStyle=" + pathStyle() + ", anonymous=" + anonymous + "}";
    }

    private static Optional<String> nonEmpty(Optional<String> value)
    {
        return value.filter(text -> !text.isEmpty());
    }

    private static Optional<String> string(Map<String, Object> map, String key, String where)
    {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof Iterable) {
            throw new ConfigException("Extra '" + key + "' of " + where + " must be a string");
        }
        return Optional.of(String.valueOf(value)).filter(text -> !text.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> map, String key, String where)
    {
        Object value = map.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new ConfigException("Extra '" + key + "' of " + where + " must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static Optional<Long> number(Map<String, Object> map, String key, String where)
    {
        return string(map, key, where).map(text -> {
            try {
                return (long) Double.parseDouble(text);
            }
            catch (NumberFormatException e) {
                throw new ConfigException("Extra '" + key + "' of " + where + " must be a number");
            }
        });
    }

    private static Optional<Duration> seconds(Map<String, Object> map, String key, String where)
    {
        return string(map, key, where).map(text -> {
            try {
                return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
            }
            catch (NumberFormatException e) {
                throw new ConfigException("Extra '" + key + "' of " + where + " must be a number of seconds");
            }
        });
    }

    private static URI endpointUri(String text, String where)
    {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException("endpoint_url of " + where + " must be an absolute URL such as http://host:9000: '" + text + "'");
            }
            return uri;
        }
        catch (URISyntaxException e) {
            throw new ConfigException("endpoint_url of " + where + " is not a valid URL: '" + text + "'");
        }
    }
}
