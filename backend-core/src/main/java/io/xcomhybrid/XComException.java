package io.xcomhybrid;

/** Base of the unchecked exceptions this library throws through its public API. */
public class XComException
        extends RuntimeException
{
    public XComException(String message)
    {
        super(message);
    }

    public XComException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
