package io.xcomhybrid.gcs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A location without conn_id uses Application Default Credentials. The environment decides what those are, so each
 * case runs in a child JVM with {@code GOOGLE_APPLICATION_CREDENTIALS} set (which ADC reads first, before any gcloud
 * file or metadata server).
 */
class TestGcsDefaultCredentials
{
    @TempDir
    Path temp;

    @Test
    void noConnIdUsesApplicationDefaultCredentials()
            throws Exception
    {
        ServiceAccountKeys.Key key = ServiceAccountKeys.generate("adc-account", "adc-project");
        Path keyFile = temp.resolve("adc.json");
        Files.writeString(keyFile, key.jsonText());
        String output = probe(keyFile.toString());
        assertThat(output)
                .contains("client_email=" + key.clientEmail())
                .contains("principal=no conn_id, Application Default Credentials (service account " + key.clientEmail() + ")");
    }

    @Test
    void missingDefaultCredentialsFailClearly()
            throws Exception
    {
        String output = probe(temp.resolve("absent.json").toString());
        assertThat(output)
                .contains("error=java.io.IOException: Cannot use Application Default Credentials for GCS (no conn_id)")
                .contains("gs://conn_id@bucket");
    }

    private static String probe(String applicationCredentials)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                DefaultCredentialsProbe.class.getName()))
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("AIRFLOW") || name.equals("STORAGE_EMULATOR_HOST"));
        builder.environment().put("GOOGLE_APPLICATION_CREDENTIALS", applicationCredentials);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
