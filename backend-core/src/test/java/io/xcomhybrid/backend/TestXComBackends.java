package io.xcomhybrid.backend;

import io.xcomhybrid.XComKey;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.json.XComJson;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStores;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestXComBackends
{
    private static XComBackend create(Map<String, String> core, Map<String, String> commonIo, Map<String, String> env)
    {
        AirflowConfig config = AirflowConfig.of(Map.of("core", core, "common.io", commonIo), env);
        return XComBackends.create(new XComBackendContext(config, new ObjectStores(config), XComJson.standard()));
    }

    private static Map<String, String> objectStorage()
    {
        return Map.of("xcom_backend", ObjectStorageXComBackend.AIRFLOW_CLASS);
    }

    private static Map<String, String> commonIo(String path, String threshold, String compression)
    {
        Map<String, String> values = new HashMap<>();
        values.put("xcom_objectstorage_path", path);
        values.put("xcom_objectstorage_threshold", threshold);
        values.put("xcom_objectstorage_compression", compression);
        return values;
    }

    @Test
    void airflowClassPathsMapToBuiltIns()
    {
        assertThat(create(Map.of(), Map.of(), Map.of())).isInstanceOf(DatabaseXComBackend.class);
        assertThat(create(Map.of("xcom_backend", "airflow.models.xcom.BaseXCom"), Map.of(), Map.of())).isInstanceOf(DatabaseXComBackend.class);
        assertThat(create(Map.of("xcom_backend", "airflow.sdk.bases.xcom.BaseXCom"), Map.of(), Map.of())).isInstanceOf(DatabaseXComBackend.class);
        XComBackend backend = create(objectStorage(), commonIo("s3://aws_default@bucket/xcom/", "1024", "gzip"), Map.of());
        assertThat(backend).isInstanceOf(ObjectStorageXComBackend.class);
        ObjectStorageSettings settings = ((ObjectStorageXComBackend) backend).settings();
        assertThat(settings.base()).isEqualTo(Location.parse("s3://aws_default@bucket/xcom"));
        assertThat(settings.threshold()).isEqualTo(1024);
        assertThat(settings.compression().suffix()).isEqualTo(".gz");
    }

    @Test
    void environmentOverridesSelectTheBackend()
    {
        XComBackend backend = create(Map.of(), Map.of(), Map.of(
                "AIRFLOW__CORE__XCOM_BACKEND", ObjectStorageXComBackend.AIRFLOW_CLASS,
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH", "file:///tmp/xcom",
                "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD", "0"));
        assertThat(((ObjectStorageXComBackend) backend).settings().threshold()).isZero();
    }

    @Test
    void badCompressionFailsAtStartupNamingTheSetting()
    {
        assertThatThrownBy(() -> create(objectStorage(), commonIo("file:///tmp/x", "10", "gz"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[common.io] xcom_objectstorage_compression")
                .hasMessageContaining("gzip");
    }

    @Test
    void missingPathIsAnError()
    {
        assertThatThrownBy(() -> create(objectStorage(), commonIo("", "10", ""), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("xcom_objectstorage_path");
    }

    @Test
    void relativeOrSchemelessPathIsAnError()
    {
        assertThatThrownBy(() -> create(objectStorage(), commonIo("/tmp/xcom", "10", ""), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> create(objectStorage(), commonIo("s3://", "10", ""), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bucket");
    }

    @Test
    void badThresholdIsAnError()
    {
        assertThatThrownBy(() -> create(objectStorage(), commonIo("file:///tmp/x", "ten", ""), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("xcom_objectstorage_threshold");
        assertThatThrownBy(() -> create(objectStorage(), commonIo("file:///tmp/x", "-5", ""), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("-5");
    }

    @Test
    void badUnreadablePolicyIsAnError()
    {
        AirflowConfig config = AirflowConfig.of(Map.of("core", objectStorage(), "common.io", commonIo("file:///tmp/x", "1", ""),
                "xcom_hybrid", Map.of("on_unreadable_object", "ignore")), Map.of());
        assertThatThrownBy(() -> XComBackends.create(new XComBackendContext(config, new ObjectStores(config), XComJson.standard())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("on_unreadable_object");
    }

    @Test
    void badRowFormIsAnError()
    {
        AirflowConfig config = AirflowConfig.of(Map.of("core", Map.of(), "xcom_hybrid", Map.of("db_form", "airflow4")), Map.of());
        assertThatThrownBy(() -> XComBackends.create(new XComBackendContext(config, new ObjectStores(config), XComJson.standard())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[xcom_hybrid] db_form")
                .hasMessageContaining("airflow4");
    }

    @Test
    void customJavaBackendIsLoaded()
    {
        XComBackend backend = create(Map.of("xcom_backend", CustomBackend.class.getName()), Map.of(), Map.of());
        assertThat(backend).isInstanceOf(CustomBackend.class);
        assertThat(((CustomBackend) backend).context).isNotNull();
    }

    @Test
    void classThatIsNotABackendIsRejected()
    {
        assertThatThrownBy(() -> create(Map.of("xcom_backend", String.class.getName()), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[core] xcom_backend")
                .hasMessageContaining("does not implement");
    }

    @Test
    void unknownPythonBackendIsRejected()
    {
        assertThatThrownBy(() -> create(Map.of("xcom_backend", "my_company.xcom.S3Backend"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("my_company.xcom.S3Backend")
                .hasMessageContaining("Python backend cannot run on the JVM");
    }

    public static final class CustomBackend
            implements XComBackend
    {
        final XComBackendContext context;

        public CustomBackend(XComBackendContext context)
        {
            this.context = context;
        }

        @Override
        public SerializedXCom serialize(XComKey key, XComPayload payload)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream openJson(XComKey key, byte[] stored)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public XComPreview preview(XComKey key, byte[] stored)
        {
            throw new UnsupportedOperationException();
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

        @Override
        public String name()
        {
            return getClass().getName();
        }
    }
}
