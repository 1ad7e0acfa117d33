package io.xcomhybrid.metadata;

import io.xcomhybrid.XComStorageException;

/** A metadata database operation failed. The message names the operation, the XCom and the database (never its password). */
public class MetadataStoreException
        extends XComStorageException
{
    public MetadataStoreException(String message, Throwable cause)
    {
        super(message, cause);
    }

    public MetadataStoreException(String message)
    {
        super(message);
    }
}
