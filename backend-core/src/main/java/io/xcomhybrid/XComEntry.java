package io.xcomhybrid;

import io.xcomhybrid.backend.XComPreview;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** One XCom as a listing shows it, built from its row alone (no object is read). */
public record XComEntry(XComKey key, XComPreview preview, Instant timestamp)
{
    public XComEntry
    {
        requireNonNull(key, "key is null");
        requireNonNull(preview, "preview is null");
        requireNonNull(timestamp, "timestamp is null");
    }
}
