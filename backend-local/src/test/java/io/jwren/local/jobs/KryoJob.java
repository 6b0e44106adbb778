package io.jwren.local.jobs;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.SerializableFunction;

/** User code with its own Kryo, under Kryo's own package name (the worker jar has only a relocated one). */
public final class KryoJob {
    private KryoJob() {}

    /** Doubles its input after a round trip through the user's Kryo; says which class loader Kryo came from. */
    public static SerializableFunction<Integer, String> doubleViaKryo() {
        return x -> {
            Kryo kryo = new Kryo();
            Output out = new Output(16);
            kryo.writeObject(out, x);
            int back = kryo.readObject(new Input(out.toBytes()), Integer.class);
            return (back * 2) + " via " + Kryo.class.getClassLoader().getName();
        };
    }
}
