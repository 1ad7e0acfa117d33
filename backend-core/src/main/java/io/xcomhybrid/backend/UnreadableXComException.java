package io.xcomhybrid.backend;

import io.xcomhybrid.XComStorageException;

/** A row references an object that is missing or cannot be decoded. The message names the XCom and the location. */
public class UnreadableXComException
        extends XComStorageException
{
    public UnreadableXComException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
