package io.jwren.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import io.jwren.ProtocolException;
import io.jwren.StorageException;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;


/**
 * Decodes the value of a call that returned one, inline or from its value object: for the client that reads a map's
 * results, and for the workers of a chained map, whose inputs they are.
 */
public final class ResultValueReader {
    private ResultValueReader() {}

    /**
     * Big values are objects of their own, decoded as they stream in rather than from one array; an inline value was
     * checked with its result object.
     *
     * @param signer the job's signer, which checks a value object whole before Kryo reads it; null for an unsigned job
     */
    public static Object read(Kryo kryo, Storage storage, CallOutcome outcome, ObjectSigner signer) {
        if (outcome.valueKey() == null) {
            return outcome.valueBytes() == null ? null : kryo.readClassAndObject(new Input(outcome.valueBytes()));
        }
        try (InputStream in = signer == null ? storage.open(outcome.valueKey()) : openChecked(storage, outcome.valueKey(), signer)) {
            return kryo.readClassAndObject(new Input(in, 1 << 16));
        } catch (NoSuchKeyException e) {
            throw new ProtocolException("value object '" + outcome.valueKey() + "' of call " + outcome.index()
                    + " is missing from " + storage.uri(), outcome.valueKey(), e);
        } catch (IOException e) {
            throw new StorageException("cannot read value object '" + outcome.valueKey() + "' from " + storage.uri()
                    + ": " + e.getMessage(), outcome.valueKey(), e);
        }
    }

    /**
     * A signed value object, spooled to a temporary file and checked whole before a byte of it reaches Kryo (it may
     * not fit in memory); the stream reads the file, whose tag lies past the one record Kryo reads, and deletes it
     * when closed.
     */
    private static InputStream openChecked(Storage storage, String key, ObjectSigner signer) throws IOException {
        Path spool = Files.createTempFile("jwren-value", ".part");
        try {
            try (InputStream in = storage.open(key)) {
                Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
            }
            long content = Files.size(spool) - ObjectSigner.TAG_BYTES;
            if (content < 0) throw ObjectSigner.refused(key, "it is too short to carry a signature");
            HmacSha256 mac = signer.start(key);
            try (InputStream in = Files.newInputStream(spool)) {
                byte[] buf = new byte[1 << 16];
                for (long left = content; left > 0; ) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) throw new EOFException(key);
                    mac.update(buf, 0, n);
                    left -= n;
                }
                ObjectSigner.check(key, mac.doFinal(), in.readNBytes(ObjectSigner.TAG_BYTES));
            }
            return Files.newInputStream(spool, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
    }
}
