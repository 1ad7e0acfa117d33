package io.xcomhybrid.config;

import io.xcomhybrid.XComException;

/** Invalid or missing configuration. The message names the file, line and key (or the environment variable). */
public class ConfigException
        extends XComException
{
    public ConfigException(String message)
    {
        super(message);
    }

    public ConfigException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
