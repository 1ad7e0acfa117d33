package io.xcomhybrid.store;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Location of an object, written the way Airflow's {@code str(ObjectStoragePath)} writes it:
 * {@code scheme://[conn_id@]path}.
 *
 * <ul>
 *   <li>{@code s3://aws_default@bucket/xcoms/dag/run/task/uuid.gz}: scheme {@code s3}, conn_id {@code aws_default},
 *       path {@code bucket/xcoms/dag/run/task/uuid.gz}; the first path segment is the bucket.</li>
 *   <li>{@code file:///var/xcom/dag/run/task/uuid}: scheme {@code file}, no conn_id, path {@code /var/xcom/...}.</li>
 * </ul>
 *
 * <p>As in Airflow's {@code ObjectStoragePath}, the conn_id is everything in the authority before its
 * <em>last</em> {@code @}, and an empty one counts as absent. The path is kept verbatim (run ids contain
 * {@code :} and {@code +}); no percent-decoding and no normalisation is done, so {@code toString()} gives
 * back exactly what was parsed.
 */
public final class Location
{
    private final String scheme;
    private final String connId;
    private final String path;

    private Location(String scheme, String connId, String path)
    {
        this.scheme = requireNonNull(scheme, "scheme is null");
        this.connId = connId;
        this.path = requireNonNull(path, "path is null");
    }

    public static Location of(String scheme, Optional<String> connId, String path)
    {
        if (scheme.isEmpty() || !scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
            throw new IllegalArgumentException("Invalid scheme in location: " + scheme);
        }
        return new Location(scheme.toLowerCase(Locale.ROOT), connId.filter(id -> !id.isEmpty()).orElse(null), path);
    }

    /**
     * Parses {@code scheme://[conn_id@]path}.
     *
     * @throws IllegalArgumentException if the text has no {@code scheme://} prefix
     */
    public static Location parse(String url)
    {
        requireNonNull(url, "url is null");
        int schemeEnd = url.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("Not a location URL (expected scheme://...): " + url);
        }
        String scheme = url.substring(0, schemeEnd);
        String rest = url.substring(schemeEnd + 3);
        int authorityEnd = rest.indexOf('/');
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return of(scheme, Optional.empty(), rest);
        }
        return of(scheme, Optional.of(authority.substring(0, at)), rest.substring(at + 1));
    }

    public String scheme()
    {
        return scheme;
    }

    public Optional<String> connId()
    {
        return Optional.ofNullable(connId);
    }

    /** Everything after the authority's conn_id: {@code bucket/key} for object stores, {@code /abs/path} for files. */
    public String path()
    {
        return path;
    }

    /** First path segment: the bucket for object stores. */
    public String bucket()
    {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** The path after the bucket, without a leading {@code /}; empty for the bucket itself. */
    public String key()
    {
        int slash = path.indexOf('/');
        return slash < 0 ? "" : path.substring(slash + 1);
    }

    /** The same location without its conn_id. */
    public Location withoutConnId()
    {
        return new Location(scheme, null, path);
    }

    /**
     * Appends one or more {@code /}-separated segments. A trailing {@code /} on this location is not doubled.
     */
    public Location appendPath(String relative)
    {
        requireNonNull(relative, "relative is null");
        if (relative.isEmpty()) {
            return this;
        }
        String base = path.endsWith("/") ? path : path + "/";
        String tail = relative.startsWith("/") ? relative.substring(1) : relative;
        return new Location(scheme, connId, base + tail);
    }

    /** The parent location, or this location if it has no {@code /} in its path. */
    public Location parent()
    {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = trimmed.lastIndexOf('/');
        if (slash < 0) {
            return this;
        }
        return new Location(scheme, connId, slash == 0 ? "/" : trimmed.substring(0, slash));
    }

    /** Last path segment. */
    public String fileName()
    {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    @Override
    public boolean equals(Object o)
    {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Location other)) {
            return false;
        }
        return scheme.equals(other.scheme) && Objects.equals(connId, other.connId) && path.equals(other.path);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(scheme, connId, path);
    }

    /** {@code scheme://[conn_id@]path}, exactly Airflow's {@code str(ObjectStoragePath)}. */
    @Override
    public String toString()
    {
        return scheme + "://" + (connId == null ? "" : connId + "@") + path;
    }
}
