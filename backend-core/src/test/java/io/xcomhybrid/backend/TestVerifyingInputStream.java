package io.xcomhybrid.backend;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestVerifyingInputStream
{
    private static final byte[] JSON = "{\"a\": 1}".getBytes(UTF_8);

    private static String sha256(byte[] bytes)
            throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void passesMatchingContent()
            throws Exception
    {
        try (InputStream in = new VerifyingInputStream(new ByteArrayInputStream(JSON), "s3://b/k", JSON.length, sha256(JSON))) {
            assertThat(in.readAllBytes()).isEqualTo(JSON);
        }
    }

    @Test
    void failsOnTruncation()
            throws Exception
    {
        byte[] truncated = java.util.Arrays.copyOf(JSON, JSON.length - 1);
        InputStream in = new VerifyingInputStream(new ByteArrayInputStream(truncated), "s3://b/k", JSON.length, sha256(JSON));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("s3://b/k").hasMessageContaining("bytes");
    }

    @Test
    void failsOnAlteredContent()
            throws Exception
    {
        byte[] altered = "{\"a\": 2}".getBytes(UTF_8);
        InputStream in = new VerifyingInputStream(new ByteArrayInputStream(altered), "s3://b/k", JSON.length, sha256(JSON));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("SHA-256");
    }
}
