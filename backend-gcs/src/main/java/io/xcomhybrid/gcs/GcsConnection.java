package io.xcomhybrid.gcs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.config.Connection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How one conn_id reaches Google Cloud Storage: credentials, project and endpoint, resolved the way Airflow's
 * Google provider does it ({@code GoogleBaseHook.get_credentials_and_project_id} and {@code get_fs} in
 * {@code providers/google/.../fs/gcs.py}).
 *
 * <ul>
 *   <li>No conn_id: Application Default Credentials, as {@code GCSFileSystem()} without a token (where gcsfs
 *       would silently fall back to anonymous access when there are none, this fails naming the problem).</li>
 *   <li>A conn_id: the connection {@code AIRFLOW_CONN_<ID>} must exist, with conn_type
 *       {@code google_cloud_platform} (or none). Its extras {@code key_path} (a {@code .json} service-account key file) or
 *       {@code keyfile_dict} (the key's JSON, as an object or a string) give the credentials; neither means
 *       Application Default Credentials. {@code project} overrides the key's project, {@code scope} (comma separated)
 *       the OAuth scopes, {@code is_anonymous} sends no credentials. Each extra may also carry Airflow's legacy
 *       {@code extra__google_cloud_platform__} prefix.</li>
 *   <li>The extra {@code gcs.endpoint} (Airflow's name) or the variable {@code STORAGE_EMULATOR_HOST} points the
 *       client at another endpoint; the extra wins. {@code STORAGE_EMULATOR_HOST} and any plain {@code http://}
 *       endpoint are emulators: no credentials are sent to them (a bearer token must not travel unencrypted, and
 *       emulators ignore it). An {@code https://} endpoint extra (e.g. a Private Service Connect endpoint) gets the
 *       connection's credentials.</li>
 * </ul>
 *
 * <p>Credential sources this port does not implement (impersonation, Secret Manager keys, workload identity
 * federation configs) are rejected rather than silently replaced by other credentials (Airflow issue #37834 was
 * exactly that: the object store did not use the connection's credentials).
 *
 * <p>{@link #toString()} and every error message name the connection and the principal, never key material.
 */
final class GcsConnection
{
    static final String CONN_TYPE = "google_cloud_platform";
    static final String LEGACY_EXTRA_PREFIX = "extra__google_cloud_platform__";
    static final String EMULATOR_HOST_VARIABLE = "STORAGE_EMULATOR_HOST";
    static final String ENDPOINT_EXTRA = "gcs.endpoint";
    // Object requests do not use the project; without one the client probes the GCE metadata server for it.
    static final String EMULATOR_PROJECT = "xcom-hybrid-emulator";

    private static final List<String> UNSUPPORTED_EXTRAS = List.of(
            "impersonation_chain", "key_secret_name", "credential_config_file", "idp_issuer_url");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<String> connId;
    private final Credentials credentials;
    private final Optional<String> projectId;
    private final Optional<String> endpoint;
    private final String principal;

    private GcsConnection(Optional<String> connId, Credentials credentials, Optional<String> projectId, Optional<String> endpoint, String principal)
    {
        this.connId = requireNonNull(connId, "connId is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.projectId = requireNonNull(projectId, "projectId is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.principal = requireNonNull(principal, "principal is null");
    }

    /**
     * @param connection the connection resolved for {@code connId}; empty if it is not defined
     * @param environment process environment, for {@code STORAGE_EMULATOR_HOST}
     * @throws ConfigException for a missing or invalid connection, naming the conn_id and the extra at fault
     * @throws IOException if Application Default Credentials are needed but not available
     */
    static GcsConnection resolve(Optional<String> connId, Optional<Connection> connection, Map<String, String> environment)
            throws IOException
    {
        if (connId.isPresent() && connection.isEmpty()) {
            throw new ConfigException("GCS connection '" + connId.get() + "' is not defined: set AIRFLOW_CONN_"
                    + connId.get().toUpperCase(Locale.ROOT) + " (conn_type " + CONN_TYPE + ")");
        }
        Optional<String> emulatorHost = Optional.ofNullable(environment.get(EMULATOR_HOST_VARIABLE))
                .filter(host -> !host.isBlank())
                .map(GcsConnection::normalizeEndpoint);
        if (connection.isEmpty()) {
            if (emulatorHost.isPresent()) {
                return new GcsConnection(connId, NoCredentials.getInstance(), Optional.of(EMULATOR_PROJECT), emulatorHost,
                        "no conn_id, no credentials (emulator " + EMULATOR_HOST_VARIABLE + "=" + emulatorHost.get() + ")");
            }
            GoogleCredentials credentials = applicationDefault("no conn_id");
            return new GcsConnection(connId, credentials, Optional.empty(), Optional.empty(), "no conn_id, " + describeDefault(credentials));
        }
        return fromConnection(connection.get(), emulatorHost);
    }

    private static GcsConnection fromConnection(Connection connection, Optional<String> emulatorHost)
            throws IOException
    {
        String name = "GCS connection '" + connection.connId() + "'";
        // Airflow allows a JSON connection without conn_type, and the Google hooks never check it
        if (!connection.connType().isEmpty() && !connection.connType().equals(CONN_TYPE)) {
            throw new ConfigException(name + " has conn_type '" + connection.connType() + "'; expected " + CONN_TYPE);
        }
        for (String unsupported : UNSUPPORTED_EXTRAS) {
            if (field(connection, unsupported).isPresent()) {
                throw new ConfigException(name + " sets extra '" + unsupported + "', which xcom-hybrid does not support; "
                        + "use key_path or keyfile_dict, or Application Default Credentials");
            }
        }
        Optional<String> endpoint = Optional.ofNullable(connection.extra().get(ENDPOINT_EXTRA))
                .map(String::valueOf)
                .filter(value -> !value.isBlank())
                .map(GcsConnection::normalizeEndpoint)
                .or(() -> emulatorHost);
        Optional<String> project = field(connection, "project").map(String::valueOf);
        boolean anonymous = field(connection, "is_anonymous").map(value -> parseBoolean(name, value)).orElse(false);
        Optional<Object> keyPath = field(connection, "key_path");
        Optional<Object> keyfileDict = field(connection, "keyfile_dict");
        if (keyPath.isPresent() && keyfileDict.isPresent()) {
            throw new ConfigException(name + " sets both key_path and keyfile_dict; they are mutually exclusive");
        }

        if (anonymous) {
            return new GcsConnection(Optional.of(connection.connId()), NoCredentials.getInstance(), project, endpoint,
                    "connection '" + connection.connId() + "', anonymous (is_anonymous)");
        }
        boolean emulator = endpoint.isPresent() && (endpoint.equals(emulatorHost) || endpoint.get().startsWith("http://"));
        if (emulator) {
            return new GcsConnection(Optional.of(connection.connId()), NoCredentials.getInstance(), project.or(() -> Optional.of(EMULATOR_PROJECT)), endpoint,
                    "connection '" + connection.connId() + "', no credentials (emulator " + endpoint.get() + ")");
        }

        GoogleCredentials credentials;
        String principal;
        if (keyPath.isPresent()) {
            ServiceAccountCredentials account = fromKeyPath(name, String.valueOf(keyPath.get()));
            credentials = account;
            principal = "service account " + account.getClientEmail() + " from key_path";
            project = project.or(() -> Optional.ofNullable(account.getProjectId()));
        }
        else if (keyfileDict.isPresent()) {
            ServiceAccountCredentials account = fromKeyfileDict(name, keyfileDict.get());
            credentials = account;
            principal = "service account " + account.getClientEmail() + " from keyfile_dict";
            project = project.or(() -> Optional.ofNullable(account.getProjectId()));
        }
        else {
            credentials = applicationDefault(name + " (no key_path or keyfile_dict)");
            principal = describeDefault(credentials);
        }
        Optional<String> scope = field(connection, "scope").map(String::valueOf);
        if (scope.isPresent()) {
            List<String> scopes = Arrays.stream(scope.get().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (!scopes.isEmpty()) {
                credentials = credentials.createScoped(scopes);
            }
        }
        return new GcsConnection(Optional.of(connection.connId()), credentials, project, endpoint,
                "connection '" + connection.connId() + "', " + principal);
    }

    /**
     * An extra by its short name, else by its {@code extra__google_cloud_platform__} name; empty values count as
     * absent. As in Airflow's {@code get_field}, a short name that is present but empty hides the prefixed one.
     */
    static Optional<Object> field(Connection connection, String name)
    {
        Map<String, Object> extra = connection.extra();
        Object value = extra.containsKey(name) ? extra.get(name) : extra.get(LEGACY_EXTRA_PREFIX + name);
        if (value == null || (value instanceof String text && text.isEmpty()) || Boolean.FALSE.equals(value)) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private static ServiceAccountCredentials fromKeyPath(String name, String keyPath)
    {
        if (keyPath.endsWith(".p12")) {
            throw new ConfigException(name + ": legacy P12 key files are not supported (key_path " + keyPath + ")");
        }
        if (!keyPath.endsWith(".json")) {
            throw new ConfigException(name + ": unrecognised extension for key file " + keyPath + " (expected .json)");
        }
        try (InputStream in = Files.newInputStream(Path.of(keyPath))) {
            return serviceAccount(name, "key_path " + keyPath, in);
        }
        catch (NoSuchFileException e) {
            throw new ConfigException(name + ": key file does not exist: " + keyPath);
        }
        catch (IOException e) {
            throw new ConfigException(name + ": cannot read key file " + keyPath + ": " + e.getMessage());
        }
    }

    private static ServiceAccountCredentials fromKeyfileDict(String name, Object keyfileDict)
    {
        byte[] json;
        if (keyfileDict instanceof Map<?, ?> map) {
            try {
                json = JSON.writeValueAsBytes(map);
            }
            catch (JsonProcessingException e) {
                throw new ConfigException(name + ": keyfile_dict cannot be converted to JSON");
            }
        }
        else {
            String text = String.valueOf(keyfileDict);
            try {
                JSON.readTree(text);
            }
            catch (JsonProcessingException e) {
                // Airflow says "Invalid key JSON."; the location is safe to show, the text is not
                throw new ConfigException(name + ": keyfile_dict is not valid JSON (line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + ")");
            }
            json = text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return serviceAccount(name, "keyfile_dict", new ByteArrayInputStream(json));
        }
        catch (IOException e) {
            throw new ConfigException(name + ": keyfile_dict is not a usable service-account key: " + e.getMessage());
        }
    }

    private static ServiceAccountCredentials serviceAccount(String name, String source, InputStream in)
            throws IOException
    {
        // Airflow's key_path and keyfile_dict accept service-account keys only (from_service_account_info/_file)
        GoogleCredentials credentials = GoogleCredentials.fromStream(in);
        if (!(credentials instanceof ServiceAccountCredentials account)) {
            throw new ConfigException(name + ": " + source + " is not a service-account key (type "
                    + credentials.getClass().getSimpleName() + ")");
        }
        return account;
    }

    private static GoogleCredentials applicationDefault(String context)
            throws IOException
    {
        try {
            return GoogleCredentials.getApplicationDefault();
        }
        catch (IOException e) {
            throw new IOException("Cannot use Application Default Credentials for GCS (" + context + "): " + e.getMessage()
                    + " Set GOOGLE_APPLICATION_CREDENTIALS, or use a google_cloud_platform connection in the location (gs://conn_id@bucket/...)", e);
        }
    }

    private static String describeDefault(GoogleCredentials credentials)
    {
        if (credentials instanceof ServiceAccountCredentials account) {
            return "Application Default Credentials (service account " + account.getClientEmail() + ")";
        }
        return "Application Default Credentials (" + credentials.getClass().getSimpleName() + ")";
    }

    private static boolean parseBoolean(String name, Object value)
    {
        if (value instanceof Boolean bool) {
            return bool;
        }
        return switch (String.valueOf(value).strip().toLowerCase(Locale.ROOT)) {
            case "true", "t", "1", "yes", "y", "on" -> true;
            case "false", "f", "0", "no", "n", "off", "" -> false;
            default -> throw new ConfigException(name + ": extra is_anonymous is not a boolean: '" + value + "'");
        };
    }

    private static String normalizeEndpoint(String endpoint)
    {
        String value = endpoint.strip();
        if (!value.contains("://")) {
            // STORAGE_EMULATOR_HOST is often host:port, which the Python and Go clients read as plain HTTP
            value = "http://" + value;
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(value);
        }
        catch (URISyntaxException e) {
            throw new ConfigException("Invalid GCS endpoint '" + endpoint + "': " + e.getMessage());
        }
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new ConfigException("Invalid GCS endpoint '" + endpoint + "': expected http(s)://host[:port]");
        }
        return value;
    }

    Optional<String> connId()
    {
        return connId;
    }

    Credentials credentials()
    {
        return credentials;
    }

    Optional<String> projectId()
    {
        return projectId;
    }

    Optional<String> endpoint()
    {
        return endpoint;
    }

    /** Who the requests run as, for error messages, e.g. {@code connection 'gcs_conn', service account a@p.iam.gserviceaccount.com}. */
    String principal()
    {
        return principal;
    }

    @Override
    public String toString()
    {
        return "GcsConnection{" + principal + endpoint.map(e -> ", endpoint=" + e).orElse("") + projectId.map(p -> ", project=" + p).orElse("") + "}";
    }
}
