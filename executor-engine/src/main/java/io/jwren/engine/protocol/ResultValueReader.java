package io.jwren.engine.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import io.jwren.ProtocolException;
import io.jwren.StorageException;
import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes the value of a call that returned one, inline or from its value object: for the client that reads a map's
 * results, and for the workers of a chained map, whose inputs they are.
 */
public final class ResultValueReader {
    private ResultValueReader() {}

    /** Big values are objects of their own, decoded as they stream in rather than from one array. */
    public static Object read(Kryo kryo, Storage storage, CallOutcome outcome) {
        if (outcome.valueKey() == null) {
            return outcome.valueBytes() == null ? null : kryo.readClassAndObject(new Input(outcome.valueBytes()));
        }
        try (InputStream in = storage.open(outcome.valueKey())) {
            return kryo.readClassAndObject(new Input(in, 1 << 16));
        } catch (NoSuchKeyException e) {
            throw new ProtocolException("value object '" + outcome.valueKey() + "' of call " + outcome.index()
                    + " is missing from " + storage.uri(), outcome.valueKey(), e);
        } catch (IOException e) {
            throw new StorageException("cannot read value object '" + outcome.valueKey() + "' from " + storage.uri()
                    + ": " + e.getMessage(), outcome.valueKey(), e);
        }
    }
}
