package io.xcomhybrid;

/** A database or object-store operation failed; the message names the XCom and/or the location. */
public class XComStorageException
        extends XComException
{
    public XComStorageException(String message, Throwable cause)
    {
        super(message, cause);
    }

    public XComStorageException(String message)
    {
        super(message);
    }
}
