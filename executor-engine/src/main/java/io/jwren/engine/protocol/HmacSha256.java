package io.jwren.engine.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256 {@link MessageDigest}, bit for bit what {@code Mac.getInstance(
 * "HmacSHA256")} computes. Not that Mac: finding it walks the JCA providers (SUN, SunRsaSign, SunEC, SunJSSE, then
 * SunJCE), about 30 ms of a worker's cold start, where SHA-256 is in the first. The same intrinsic SHA-256 does the
 * work, so tags cost the same once warm.
 */
public final class HmacSha256 implements Cloneable {
    private static final int BLOCK = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    /** Holds H(K ^ ipad ‖ content so far). */
    private MessageDigest inner;
    /** Holds H(K ^ opad), the state the inner hash is appended to. */
    private MessageDigest outer;

    /**
     * A tag under {@code key}, ready for content.
     *
     * @param key the key, any length (one longer than a SHA-256 block is hashed first, as RFC 2104 says)
     */
    public HmacSha256(byte[] key) {
        byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
        byte[] pad = Arrays.copyOf(k, BLOCK);
        inner = sha256();
        outer = sha256();
        for (int i = 0; i < BLOCK; i++) pad[i] ^= IPAD;
        inner.update(pad);
        for (int i = 0; i < BLOCK; i++) pad[i] ^= (byte) (IPAD ^ OPAD);
        outer.update(pad);
        Arrays.fill(pad, (byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Adds {@code len} bytes of {@code data} from {@code off} to the content. */
    public void update(byte[] data, int off, int len) {
        inner.update(data, off, len);
    }

    /** Adds all of {@code data} to the content. */
    public void update(byte[] data) {
        inner.update(data);
    }

    /** {@return the tag of the content} after which this object is spent */
    public byte[] doFinal() {
        outer.update(inner.digest());
        return outer.digest();
    }

    /** {@return an independent copy in the same state}: the keyed start is computed once and copied for each tag */
    @Override
    public HmacSha256 clone() {
        try {
            HmacSha256 copy = (HmacSha256) super.clone();
            copy.inner = (MessageDigest) inner.clone();
            copy.outer = (MessageDigest) outer.clone();
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 digest cannot be copied", e);
        }
    }
}
