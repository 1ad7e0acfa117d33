package io.xcomhybrid;

/** A value cannot be encoded, or JSON text given for a push is not valid JSON. Nothing was stored. */
public class InvalidXComValueException
        extends XComException
{
    public InvalidXComValueException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
