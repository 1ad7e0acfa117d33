package io.xcomhybrid.gcs;

import com.google.auth.oauth2.ServiceAccountCredentials;
import io.xcomhybrid.config.AirflowConfig;
import io.xcomhybrid.store.ObjectStore;

import java.util.Map;
import java.util.Optional;

/**
 * Run in a child JVM by {@link TestGcsDefaultCredentials}, whose environment decides what Application Default
 * Credentials are: creates the store for a location without conn_id and prints whose credentials its client holds,
 * or the error.
 */
public final class DefaultCredentialsProbe
{
    private DefaultCredentialsProbe() {}

    public static void main(String[] args)
            throws Exception
    {
        AirflowConfig config = AirflowConfig.of(Map.of(), System.getenv());
        try (ObjectStore store = new GcsObjectStoreFactory().create("gs", Optional.empty(), Optional.empty(), config)) {
            GcsObjectStore gcs = (GcsObjectStore) store;
            if (gcs.storage().getOptions().getCredentials() instanceof ServiceAccountCredentials credentials) {
                System.out.println("client_email=" + credentials.getClientEmail());
            }
            System.out.println("principal=" + gcs.principal());
        }
        catch (Exception e) {
            System.out.println("error=" + e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
