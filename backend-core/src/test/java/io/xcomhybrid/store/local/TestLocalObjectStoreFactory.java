package io.xcomhybrid.store.local;

import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLocalObjectStoreFactory
{
    @TempDir
    Path temp;

    private AirflowConfig load(String text)
            throws IOException
    {
        Path file = temp.resolve("airflow.cfg");
        Files.writeString(file, text);
        return AirflowConfig.load(Optional.of(file), Map.of());
    }

    private static LocalObjectStore storeFor(AirflowConfig config)
            throws IOException
    {
        // through the ServiceLoader registry, as the backend gets it
        try (ObjectStores stores = new ObjectStores(config)) {
            return (LocalObjectStore) stores.forLocation(Location.parse("file:///var/lib/xcom/object.gz"));
        }
    }

    @Test
    void fsyncIsOnByDefault()
            throws IOException
    {
        assertThat(storeFor(load("[xcom_hybrid]\ndb_form = airflow2\n")).fsync()).isTrue();
        assertThat(storeFor(AirflowConfig.load(Optional.empty(), Map.of())).fsync()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"false,false", "False,false", "0,false", "true,true", "t,true", "1,true"})
    void settingTurnsFsyncOnOrOff(String text, boolean expected)
            throws IOException
    {
        assertThat(storeFor(load("[xcom_hybrid]\nlocal_fsync = " + text + "\n")).fsync()).isEqualTo(expected);
    }

    @Test
    void environmentOverridesTheFile()
            throws IOException
    {
        Path file = temp.resolve("airflow.cfg");
        Files.writeString(file, "[xcom_hybrid]\nlocal_fsync = true\n");
        AirflowConfig config = AirflowConfig.load(Optional.of(file), Map.of("AIRFLOW__XCOM_HYBRID__LOCAL_FSYNC", "false"));
        assertThat(storeFor(config).fsync()).isFalse();
    }

    @Test
    void invalidValueNamesFileLineAndKey()
            throws IOException
    {
        AirflowConfig config = load("[xcom_hybrid]\ndb_form = airflow2\nlocal_fsync = sometimes\n");
        assertThatThrownBy(() -> storeFor(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid boolean for [xcom_hybrid] local_fsync (" + temp.resolve("airflow.cfg") + ":3): 'sometimes'")
                .hasMessageContaining("true, t, 1, false, f, 0");
    }
}
