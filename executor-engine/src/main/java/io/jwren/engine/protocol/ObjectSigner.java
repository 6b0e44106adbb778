package io.jwren.engine.protocol;

import io.jwren.ProtocolException;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs and checks the objects of a job (docs/PROTOCOL.md, version 3): a tag is HMAC-SHA256 under the job key of
 * the object's key and its content, {@code len(key) ‖ key ‖ content}. Every key a tag covers lies under
 * {@code jobs/<jobId>/}, so a signed object moved to another key, invocation or job fails its check. Tags are
 * compared in constant time. The key never goes to storage and is never printed ({@link #toString()} says so).
 */
public final class ObjectSigner {
    /** Bytes in a tag. */
    public static final int TAG_BYTES = 32;
    /** Bytes in a key this class generates; the least a shared key must have. */
    public static final int KEY_BYTES = 32;

    private final byte[] key;
    /** Keyed once and cloned for each tag: keying costs two SHA-256 blocks each time. */
    private final HmacSha256 prototype;

    /**
     * A signer over the given key.
     *
     * @param key at least {@link #KEY_BYTES} bytes
     */
    public ObjectSigner(byte[] key) {
        if (key == null || key.length < KEY_BYTES)
            throw new IllegalArgumentException("a signing key needs at least " + KEY_BYTES + " bytes");
        this.key = key.clone();
        this.prototype = new HmacSha256(this.key);
    }

    /** A signer over a fresh random 256-bit key: one per executor. */
    public static ObjectSigner random() {
        byte[] k = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(k);
        return new ObjectSigner(k);
    }

    /**
     * A signer over a key given as base64, as {@code jwren.signing-key} holds it; the error names the setting,
     * never the value.
     *
     * @param setting the setting's name, for the message
     * @param base64  the key, standard or URL-safe base64 of at least {@link #KEY_BYTES} bytes
     */
    public static ObjectSigner fromBase64(String setting, String base64) {
        byte[] k;
        try {
            String s = base64.trim();
            k = s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not base64 (its value is secret and not shown)");
        }
        if (k.length < KEY_BYTES)
            throw new IllegalArgumentException(setting + " holds " + k.length + " bytes; a signing key needs at least "
                    + KEY_BYTES + " (e.g. head -c 32 /dev/urandom | base64)");
        return new ObjectSigner(k);
    }

    /** The key as base64, for a backend to hand to its workers over its own channel; never for storage or logs. */
    public String keyBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** {@return true if {@code other} signs with the same key} compared in constant time */
    public boolean sameKey(ObjectSigner other) {
        return other != null && MessageDigest.isEqual(key, other.key);
    }

    /**
     * A running tag over an object, for content that streams.
     *
     * @param objectKey the object's key
     */
    public HmacSha256 start(String objectKey) {
        HmacSha256 mac = prototype.clone(); // the prototype is never updated, so threads may clone it at once
        byte[] k = objectKey.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[Integer.BYTES + k.length]; // len(key) big-endian, then the key
        prefix[0] = (byte) (k.length >>> 24);
        prefix[1] = (byte) (k.length >>> 16);
        prefix[2] = (byte) (k.length >>> 8);
        prefix[3] = (byte) k.length;
        System.arraycopy(k, 0, prefix, Integer.BYTES, k.length);
        mac.update(prefix);
        return mac;
    }

    /**
     * The tag of {@code len} bytes of {@code data} from {@code off}, stored as {@code objectKey}.
     *
     * @param objectKey the object's key
     * @param data      the content
     * @param off       where it starts
     * @param len       how long it is
     */
    public byte[] tag(String objectKey, byte[] data, int off, int len) {
        HmacSha256 mac = start(objectKey);
        mac.update(data, off, len);
        return mac.doFinal();
    }

    /**
     * The tag of a whole content.
     *
     * @param objectKey the object's key
     * @param data      the content
     */
    public byte[] tag(String objectKey, byte[] data) {
        return tag(objectKey, data, 0, data.length);
    }

    /**
     * The content followed by its tag: what a signed result or value object holds.
     *
     * @param objectKey the key it is stored as
     * @param content   what it holds
     */
    public byte[] seal(String objectKey, byte[] content) {
        byte[] sealed = Arrays.copyOf(content, content.length + TAG_BYTES);
        System.arraycopy(tag(objectKey, content), 0, sealed, content.length, TAG_BYTES);
        return sealed;
    }

    /**
     * A stream that writes what it is given to {@code sink} and, when closed, its tag, then closes the sink: the
     * streamed form of {@link #seal}, for an object too big for one array.
     *
     * @param sink      where the stored bytes go
     * @param objectKey the key it is stored as
     */
    public OutputStream sealing(OutputStream sink, String objectKey) {
        HmacSha256 mac = start(objectKey);
        return new FilterOutputStream(sink) {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                mac.update(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                out.write(mac.doFinal());
                out.close();
            }
        };
    }

    /**
     * The content of a sealed object, once its tag is checked.
     *
     * @param objectKey the key it was read from
     * @param sealed    what it held
     * @throws ProtocolException naming the object, if it is too short for a tag or its tag does not match
     */
    public byte[] open(String objectKey, byte[] sealed) {
        return Arrays.copyOf(sealed, checkSealed(objectKey, sealed));
    }

    /**
     * Checks a sealed object's tag where it lies, for a reader that decodes the content from the array itself.
     *
     * @param objectKey the key it was read from
     * @param sealed    what it held
     * @return how many bytes of it are content (the tag follows them)
     * @throws ProtocolException naming the object, if it is too short for a tag or its tag does not match
     */
    public int checkSealed(String objectKey, byte[] sealed) {
        if (sealed.length < TAG_BYTES) throw refused(objectKey, "it is too short to carry a signature");
        int n = sealed.length - TAG_BYTES;
        check(objectKey, tag(objectKey, sealed, 0, n), Arrays.copyOfRange(sealed, n, sealed.length));
        return n;
    }

    /**
     * The content of a sealed object without checking its tag: only for a reader without the key that decodes
     * nothing but text and numbers from it (the {@code jwren} command's job listings), never objects or classes.
     *
     * @param sealed what the object holds
     */
    public static byte[] contentUnchecked(byte[] sealed) {
        return Arrays.copyOf(sealed, Math.max(0, sealed.length - TAG_BYTES));
    }

    /**
     * Checks a computed tag against the expected one, in constant time.
     *
     * @param objectKey the object, named in the error
     * @param computed  the tag of what was read
     * @param expected  the tag it should have
     * @throws ProtocolException naming the object, if they differ
     */
    public static void check(String objectKey, byte[] computed, byte[] expected) {
        if (expected == null || !MessageDigest.isEqual(computed, expected))
            throw refused(objectKey, "its signature does not match (it was altered, or signed with another key)");
    }

    /**
     * The error for an object that failed its check: it names the object, and nothing of it was deserialized.
     *
     * @param objectKey the object
     * @param why       what was wrong
     */
    public static ProtocolException refused(String objectKey, String why) {
        return new ProtocolException("object '" + objectKey + "' failed its integrity check: " + why
                + "; refused, nothing of it was deserialized or loaded", objectKey, null);
    }

    /**
     * Hex of a SHA-256 digest of the bytes: how a signed manifest names the content of each class bundle.
     *
     * @param data the bytes
     */
    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ObjectSigner[HMAC-SHA256, key not shown]";
    }
}
