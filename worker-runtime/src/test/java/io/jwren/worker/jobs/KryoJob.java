package io.jwren.worker.jobs;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.SerializableFunction;

/** A function that uses Kryo itself, under Kryo's own package name. */
public final class KryoJob {
    private KryoJob() {}

    /** Doubles its input after a round trip through the user's own Kryo. */
    public static SerializableFunction<Integer, Integer> roundTripTwice() {
        return x -> {
            Kryo kryo = new Kryo();
            Output out = new Output(16);
            kryo.writeObject(out, x);
            return kryo.readObject(new Input(out.toBytes()), Integer.class) * 2;
        };
    }
}
