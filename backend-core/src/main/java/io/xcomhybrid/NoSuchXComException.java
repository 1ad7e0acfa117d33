package io.xcomhybrid;

/** No row exists for the requested XCom identity. */
public class NoSuchXComException
        extends XComException
{
    private final XComKey key;

    public NoSuchXComException(XComKey key)
    {
        super("No such XCom: " + key);
        this.key = key;
    }

    public XComKey key()
    {
        return key;
    }
}
