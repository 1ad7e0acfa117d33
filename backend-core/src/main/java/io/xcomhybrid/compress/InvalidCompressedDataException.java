package io.xcomhybrid.compress;

import java.io.IOException;

/**
 * The compressed bytes are not valid for the format: wrong magic, corrupt data, checksum mismatch or truncation.
 * The message names the format; callers add the object location.
 */
public class InvalidCompressedDataException
        extends IOException
{
    private static final long serialVersionUID = 1L;

    public InvalidCompressedDataException(String message)
    {
        super(message);
    }

    public InvalidCompressedDataException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
