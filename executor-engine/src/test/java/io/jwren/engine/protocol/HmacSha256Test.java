package io.jwren.engine.protocol;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HmacSha256Test {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] tag(byte[] key, byte[] data) {
        HmacSha256 mac = new HmacSha256(key);
        mac.update(data);
        return mac.doFinal();
    }

    @Test
    void matchesRfc4231TestVectors() {
        // test case 1: 20-byte key of 0x0b, "Hi There"
        byte[] key1 = new byte[20];
        java.util.Arrays.fill(key1, (byte) 0x0b);
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                hex(tag(key1, "Hi There".getBytes(StandardCharsets.US_ASCII))));
        // test case 2: key "Jefe"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                hex(tag("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
        // test case 6: a 131-byte key, longer than a block, which is hashed first
        byte[] key6 = new byte[131];
        java.util.Arrays.fill(key6, (byte) 0xaa);
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                hex(tag(key6, "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void agreesWithTheJdkMacForKeysAndContentOfManyLengths() throws Exception {
        Random random = new Random(17);
        for (int keyLength : new int[] {1, 32, 63, 64, 65, 200}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            HmacSha256 prototype = new HmacSha256(key);
            for (int length : new int[] {0, 1, 55, 56, 64, 4096, 100_003}) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                HmacSha256 ours = prototype.clone();
                // in pieces, as a stream feeds it
                int half = length / 3;
                ours.update(data, 0, half);
                ours.update(data, half, length - half);
                assertArrayEquals(jdk.doFinal(data), ours.doFinal(), "key " + keyLength + ", content " + length);
            }
        }
    }

    @Test
    void copiesAreIndependentOfTheirPrototypeAndOfEachOther() {
        HmacSha256 prototype = new HmacSha256(new byte[32]);
        HmacSha256 a = prototype.clone();
        HmacSha256 b = prototype.clone();
        a.update(new byte[] {1});
        b.update(new byte[] {2});
        byte[] tagA = a.doFinal();
        HmacSha256 again = prototype.clone();
        again.update(new byte[] {1});
        assertArrayEquals(tagA, again.doFinal());
        assertEquals(false, java.util.Arrays.equals(tagA, b.doFinal()));
    }
}
