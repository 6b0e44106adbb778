package io.jwren.lambda;

import io.jwren.Config;
import io.jwren.spi.Invocation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaPayloadTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void thePayloadIsTheHandlersJsonWithEveryFieldOfTheInvocation() {
        Invocation inv = new Invocation("3f2a9c1e-M004", 7, 70, 10, 2, 18231, 2650);
        byte[] bytes = LambdaPayload.encode(inv, Map.of("jwren.storage", "s3://my-bucket/jwren", "jwren.s3.region", "eu-west-1"));
        Map<?, ?> m = JSON.readValue(bytes, Map.class);
        assertEquals("3f2a9c1e-M004", m.get("jobId"));
        assertEquals(7, m.get("invocation"));
        assertEquals(70, m.get("firstCall"));
        assertEquals(10, m.get("callCount"));
        assertEquals(2, m.get("attempt"));
        assertEquals(18231, m.get("inputOffset"));
        assertEquals(2650, m.get("inputLength"));
        assertEquals(Map.of("jwren.storage", "s3://my-bucket/jwren", "jwren.s3.region", "eu-west-1"), m.get("config"));
        assertTrue(bytes.length < 400, "a payload is a few hundred bytes, was " + bytes.length);
    }

    @Test
    void theSigningKeyTravelsBesideTheConfigNeverInIt() {
        Invocation inv = new Invocation("3f2a9c1e-M004", 0, 0, 1, 0, 0, 2);
        Map<?, ?> m = JSON.readValue(LambdaPayload.encode(inv, Map.of("jwren.storage", "s3://b/p"), "a2V5LWJ5dGVz"), Map.class);
        assertEquals("a2V5LWJ5dGVz", m.get("signingKey"));
        assertEquals(Map.of("jwren.storage", "s3://b/p"), m.get("config"));
        assertEquals(null, JSON.readValue(LambdaPayload.encode(inv, Map.of()), Map.class).get("signingKey"), "none: unsigned");
    }

    @Test
    void stringsAreEscaped() {
        Invocation inv = new Invocation("job\"1\\x", 0, 0, 1, 0, -1, -1);
        Map<?, ?> m = JSON.readValue(LambdaPayload.encode(inv, Map.of("jwren.storage", "s3://b/p\n\u0001é")), Map.class);
        assertEquals("job\"1\\x", m.get("jobId"));
        assertEquals(Map.of("jwren.storage", "s3://b/p\n\u0001é"), m.get("config"));
    }

    @Test
    void anOversizedPayloadIsRefusedFarBelowLambdasAsyncLimit() {
        Invocation inv = new Invocation("j", 0, 0, 1, 0, -1, -1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LambdaPayload.encode(inv, Map.of("jwren.storage", "s3://b/" + "x".repeat(LambdaPayload.MAX_BYTES))));
        assertTrue(e.getMessage().contains("keys only"), e.getMessage());
        assertTrue(LambdaPayload.MAX_BYTES <= 256 * 1024 / 8);
    }

    @Test
    void aSmallJobsPayloadCarriesTheJobInBase64AndTheKeyAndAsksForTheResult() {
        Invocation inv = new Invocation("j-M001", 3, 9, 3, 1, 0, 5);
        byte[] job = {'J', 'W', 'I', '1', 0, 1, 2, -1};
        Map<?, ?> m = JSON.readValue(LambdaPayload.encodeInline(inv, Map.of("jwren.storage", "s3://b/p"), "a2V5LWJ5dGVz", job),
                Map.class);
        assertEquals(true, m.get("returnResult"));
        assertEquals("a2V5LWJ5dGVz", m.get("signingKey"), "the key travels with the inline job, on the same channel");
        assertEquals(Map.of("jwren.storage", "s3://b/p"), m.get("config"));
        assertEquals(java.util.List.of((byte) 'J', (byte) 'W', (byte) 'I', (byte) '1', (byte) 0, (byte) 1, (byte) 2, (byte) -1),
                toList(java.util.Base64.getDecoder().decode((String) m.get("inline"))));
        assertEquals(0, m.get("inputOffset"));
        assertEquals(5, m.get("inputLength"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LambdaPayload.encodeInline(inv,
                Map.of("jwren.storage", "s3://b/p"), null, new byte[LambdaPayload.SYNC_LIMIT / 4 * 3 + 1]));
        assertTrue(e.getMessage().contains("jwren.lambda.inline-limit"), e.getMessage());
        // the largest inline limit leaves room under Lambda's 6 MB for a manifest of thousands of bundles
        assertTrue((LambdaPayload.MAX_INLINE + 2) / 3 * 4 + 77 * 5_000 < LambdaPayload.SYNC_LIMIT);
    }

    private static java.util.List<Byte> toList(byte[] bytes) {
        java.util.List<Byte> list = new java.util.ArrayList<>();
        for (byte b : bytes) list.add(b);
        return list;
    }

    @Test
    void theHandlersAnswerGivesTheResultObjectOrNothing() {
        LambdaPayload.Answer a = LambdaPayload.decodeAnswer(("{\"status\":\"ok\",\"jobId\":\"j-M001\",\"invocation\":3,"
                + "\"attempt\":1,\"workerId\":\"w\",\"warm\":true,\"result\":\"SldSMg==\"}").getBytes());
        assertEquals("j-M001", a.jobId());
        assertEquals(3, a.invocation());
        assertEquals(1, a.attempt());
        assertEquals("JWR2", new String(a.resultObject()));
        assertEquals(null, LambdaPayload.decodeAnswer(("{\"jobId\":\"j\",\"invocation\":0,\"attempt\":0}").getBytes()).resultObject());
        assertEquals(null, LambdaPayload.decodeAnswer(new byte[0]), "an emulator's empty answer to a handler that threw");
        assertEquals(null, LambdaPayload.decodeAnswer("{\"errorMessage\":\"boom\"}".getBytes()));
        assertEquals(null, LambdaPayload.decodeAnswer("not json".getBytes()));
    }

    @Test
    void onlyStorageSettingsAreForwardedNeverCredentials() {
        Map<String, String> explicit = new LinkedHashMap<>();
        explicit.put("jwren.lambda.function", "jwren-worker");
        explicit.put("jwren.storage", "s3://bucket/prefix");
        explicit.put("jwren.s3.endpoint", "http://127.0.0.1:9000");
        explicit.put("jwren.s3.path-style", "true");
        explicit.put("jwren.s3.secret-key", "hunter2");
        explicit.put("jwren.s3.session-token", "tok");
        explicit.put("jwren.lambda.endpoint", "http://127.0.0.1:3002");
        Config config = Config.resolve(explicit, new Properties(), Map.of(), Path.of("none"), Path.of("none"));
        LambdaSettings s = LambdaSettings.from(config);
        assertEquals(Map.of("jwren.storage", "s3://bucket/prefix", "jwren.s3.endpoint", "http://127.0.0.1:9000",
                "jwren.s3.path-style", "true"), s.workerConfig());
        String json = new String(LambdaPayload.encode(new Invocation("j", 0, 0, 1, 0, -1, -1), s.workerConfig()));
        assertTrue(!json.contains("hunter2") && !json.contains("tok\""), json);
        assertEquals(61, s.workerJavaMajor());
        assertEquals("http://127.0.0.1:3002", s.endpoint().toString());
    }

    @Test
    void aMissingFunctionNameIsExplained() {
        Config config = Config.resolve(Map.of(), new Properties(), Map.of(), Path.of("none"), Path.of("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LambdaSettings.from(config));
        assertTrue(e.getMessage().contains("jwren.lambda.function"), e.getMessage());
    }
}
