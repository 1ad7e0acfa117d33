package io.xcomhybrid.backend;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks, at end of stream, the size and SHA-256 a writer recorded in object metadata, so a truncated or altered
 * object fails loudly instead of yielding a wrong value.
 */
final class VerifyingInputStream
        extends FilterInputStream
{
    private final String description;
    private final long expectedSize;
    private final String expectedSha256;
    private final MessageDigest digest;
    private long size;
    private boolean verified;

    VerifyingInputStream(InputStream in, String description, long expectedSize, String expectedSha256)
    {
        super(in);
        this.description = description;
        this.expectedSize = expectedSize;
        this.expectedSha256 = expectedSha256;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read()
            throws IOException
    {
        int b = super.read();
        if (b < 0) {
            verify();
        }
        else {
            digest.update((byte) b);
            size++;
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length)
            throws IOException
    {
        int n = super.read(bytes, offset, length);
        if (n < 0) {
            verify();
        }
        else {
            digest.update(bytes, offset, n);
            size += n;
        }
        return n;
    }

    @Override
    public long skip(long n)
            throws IOException
    {
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported()
    {
        return false;
    }

    private void verify()
            throws IOException
    {
        if (verified) {
            return;
        }
        verified = true;
        if (expectedSize >= 0 && size != expectedSize) {
            throw new IOException("Integrity check failed for " + description + ": read " + size + " bytes of JSON, metadata says " + expectedSize);
        }
        if (expectedSha256 != null && !HexFormat.of().formatHex(digest.digest()).equalsIgnoreCase(expectedSha256)) {
            throw new IOException("Integrity check failed for " + description + ": SHA-256 of the JSON does not match the object metadata");
        }
    }
}
