package io.xcomhybrid.backend;

/** Where a value lives: in the database row itself, or in an object the row references. */
public enum Placement
{
    DATABASE,
    OBJECT;

    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
