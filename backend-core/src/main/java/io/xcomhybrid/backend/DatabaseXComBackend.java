package io.xcomhybrid.backend;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.json.DbForm;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.store.Location;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Airflow's default {@code BaseXCom}: every value is stored in its row; nothing to purge. */
public final class DatabaseXComBackend
        implements XComBackend
{
    public static final String AIRFLOW_CLASS = "airflow.models.xcom.BaseXCom";
    private static final int PREVIEW_LIMIT = 1000;

    private final DbForm dbForm;
    private final XComJson json;

    public DatabaseXComBackend()
    {
        this(DbForm.AIRFLOW2_BYTES, XComJson.standard());
    }

    public DatabaseXComBackend(XComBackendContext context)
    {
        this(RowForm.from(context.config()), context.json());
    }

    public DatabaseXComBackend(DbForm dbForm, XComJson json)
    {
        this.dbForm = dbForm;
        this.json = json;
    }

    @Override
    public String name()
    {
        return AIRFLOW_CLASS;
    }

    @Override
    public SerializedXCom serialize(XComKey key, XComPayload payload)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        payload.writeTo(out);
        return new SerializedXCom(RowForm.encode(dbForm, payload, out.toByteArray(), json), Placement.DATABASE, out.size(), Optional.empty());
    }

    @Override
    public InputStream openJson(XComKey key, byte[] stored)
    {
        return new ByteArrayInputStream(stored);
    }

    @Override
    public XComPreview preview(XComKey key, byte[] stored)
    {
        return inlinePreview(stored, PREVIEW_LIMIT);
    }

    @Override
    public Optional<Location> referencedLocation(byte[] stored)
    {
        return Optional.empty();
    }

    @Override
    public void purge(XComKey key, byte[] stored)
    {
    }

    static XComPreview inlinePreview(byte[] stored, int limit)
    {
        String text = new String(stored, StandardCharsets.UTF_8);
        if (text.length() > limit) {
            text = text.substring(0, limit) + "...";
        }
        return new XComPreview(Placement.DATABASE, text, stored.length, Optional.empty());
    }
}
