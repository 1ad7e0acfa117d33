package io.xcomhybrid.compat;

import io.xcomhybrid.compat.AirflowHarness.AirflowVersion;
import io.xcomhybrid.compat.AirflowHarness.PythonValue;
import io.xcomhybrid.s3.MinioFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The conformance suite on MinIO through {@code s3://minio_xcom@compat-xcom/<version>}, with the connection given
 * to both sides as {@code AIRFLOW_CONN_MINIO_XCOM} (JSON form, endpoint_url and keys in extra). Every compression
 * runs on a sample of the values (see {@link #includes}); the file:// suite covers all of them.
 */
class S3ConformanceTest
        extends AbstractAirflowConformanceTest
{
    static final String CONN_ID = "minio_xcom";
    static final String BUCKET = "compat-xcom";

    @Override
    String basePath(AirflowVersion version)
    {
        String base = "s3://" + CONN_ID + "@" + BUCKET + "/" + version.name().toLowerCase() + "/xcom";
        try {
            harness(version).mkbucket(base);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return base;
    }

    @Override
    Map<String, String> connectionEnvironment()
    {
        return Map.of("AIRFLOW_CONN_" + CONN_ID.toUpperCase(), MinioFixture.instance().endpoint().connectionJson());
    }

    @Override
    String outsideBase(AirflowVersion version, String name)
    {
        String base = basePath(version);
        return base.substring(0, base.lastIndexOf('/')) + "/" + name;
    }

    @Override
    Optional<String> otherConnection(AirflowVersion version, String relative)
    {
        return Optional.of(basePath(version).replace(CONN_ID + "@", "aws_default@") + "/" + relative);
    }

    /**
     * Every third value without compression and with zip (written through a non-seekable S3 writer, so with a data
     * descriptor), every ninth with the other codecs, and always the large values; the file:// suite runs all.
     */
    @Override
    boolean includes(PythonValue value, String compression)
    {
        if (value.name().contains("-large")) {
            return true;
        }
        return value.id() % (compression.isEmpty() || compression.equals("zip") ? 3 : 9) == 0;
    }
}
