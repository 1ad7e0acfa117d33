package io.xcomhybrid.gcs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Throwaway service-account keys: a fresh RSA key in the JSON layout Google issues, never valid anywhere. */
final class ServiceAccountKeys
{
    private ServiceAccountKeys() {}

    record Key(String clientEmail, String privateKeyId, String projectId, String privatePem, Map<String, Object> json)
    {
        String jsonText()
        {
            try {
                return new ObjectMapper().writeValueAsString(json);
            }
            catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Key generate(String name, String projectId)
    {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String email = name + "@" + projectId + ".iam.gserviceaccount.com";
        String keyId = UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", projectId);
        json.put("private_key_id", keyId);
        json.put("private_key", pem);
        json.put("client_email", email);
        json.put("client_id", "1234567890");
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", "https://oauth2.googleapis.com/token");
        return new Key(email, keyId, projectId, pem, json);
    }
}
