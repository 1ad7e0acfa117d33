package io.xcomhybrid.gcs;

import com.google.auth.oauth2.ServiceAccountCredentials;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.config.ConfigException;
import io.xcomhybrid.store.Location;
import io.xcomhybrid.store.ObjectStore;
import io.xcomhybrid.store.ObjectStores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestGcsObjectStoreFactory
{
    private static final ServiceAccountKeys.Key KEY = ServiceAccountKeys.generate("xcom-reader", "registry-project");

    @Test
    void registeredForGsAndGcsThroughServiceLoader()
            throws IOException
    {
        AirflowConfig config = AirflowConfig.of(Map.of(), Map.of("AIRFLOW_CONN_GCS_CONN",
                "{\"conn_type\": \"google_cloud_platform\", \"extra\": {\"keyfile_dict\": " + KEY.jsonText() + "}}"));
        try (ObjectStores stores = new ObjectStores(config)) {
            assertThat(stores.schemes()).contains("gs", "gcs");
            ObjectStore store = stores.forLocation(Location.parse("gs://gcs_conn@bucket/xcom/dag/run/task/a.json.gz"));
            assertThat(store).isInstanceOf(GcsObjectStore.class);
            assertThat(((GcsObjectStore) store).storage().getOptions().getCredentials())
                    .isInstanceOfSatisfying(ServiceAccountCredentials.class, credentials -> assertThat(credentials.getClientEmail()).isEqualTo(KEY.clientEmail()));
            // one store (and client) per scheme and conn_id
            assertThat(stores.forLocation(Location.parse("gs://gcs_conn@other-bucket/x"))).isSameAs(store);
        }
    }

    @Test
    void undefinedConnectionFailsWhenTheStoreIsCreated()
            throws IOException
    {
        try (ObjectStores stores = new ObjectStores(AirflowConfig.of(Map.of(), Map.of()))) {
            assertThatThrownBy(() -> stores.forLocation(Location.parse("gs://missing_conn@bucket/xcom/a.json")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'missing_conn' is not defined");
        }
    }
}
