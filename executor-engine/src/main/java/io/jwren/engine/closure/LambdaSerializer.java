package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Ships serializable lambdas as their {@link SerializedLambda} parts. Unlike Kryo's stock
 * ClosureSerializer it needs no access to java.lang.invoke and resolves the capturing class through
 * the Kryo's class loader (the job's loader on a worker, the lambda's own loader on the client),
 * then calls the capturing class's {@code $deserializeLambda$} itself.
 */
final class LambdaSerializer extends Serializer<Object> {

    @Override
    public void write(Kryo kryo, Output output, Object lambda) {
        SerializedLambda sl = serializedForm(lambda);
        if (kryo.getClassResolver() instanceof RecordingClassResolver recorder) {
            // The lambda's own class is hidden; the worker needs the classes that hold its code.
            ClassLoader loader = lambda.getClass().getClassLoader();
            recorder.noteByName(sl.getCapturingClass().replace('/', '.'), loader);
            recorder.noteByName(sl.getImplClass().replace('/', '.'), loader);
            recorder.noteByName(sl.getFunctionalInterfaceClass().replace('/', '.'), loader);
        }
        output.writeString(sl.getCapturingClass().replace('/', '.'));
        output.writeString(sl.getFunctionalInterfaceClass());
        output.writeString(sl.getFunctionalInterfaceMethodName());
        output.writeString(sl.getFunctionalInterfaceMethodSignature());
        output.writeVarInt(sl.getImplMethodKind(), true);
        output.writeString(sl.getImplClass());
        output.writeString(sl.getImplMethodName());
        output.writeString(sl.getImplMethodSignature());
        output.writeString(sl.getInstantiatedMethodType());
        output.writeVarInt(sl.getCapturedArgCount(), true);
        for (int i = 0; i < sl.getCapturedArgCount(); i++) {
            try {
                kryo.writeClassAndObject(output, sl.getCapturedArg(i));
            } catch (KryoException e) {
                e.addTrace("captured arg " + (i + 1) + " (lambda " + implName(sl) + ")");
                throw e;
            }
        }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        String capturingName = input.readString();
        String fiClass = input.readString();
        String fiMethod = input.readString();
        String fiSignature = input.readString();
        int implKind = input.readVarInt(true);
        String implClass = input.readString();
        String implMethod = input.readString();
        String implSignature = input.readString();
        String instantiated = input.readString();
        Object[] captured = new Object[input.readVarInt(true)];
        for (int i = 0; i < captured.length; i++) captured[i] = kryo.readClassAndObject(input);
        try {
            Class<?> capturing = Class.forName(capturingName, false, kryo.getClassLoader());
            SerializedLambda sl = new SerializedLambda(capturing, fiClass, fiMethod, fiSignature, implKind,
                    implClass, implMethod, implSignature, instantiated, captured);
            Method deserialize = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            deserialize.setAccessible(true);
            return deserialize.invoke(null, sl);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new KryoException("cannot rebuild lambda " + implClass.replace('/', '.') + "." + implMethod
                    + " captured by " + capturingName + ": " + e, e);
        }
    }

    /** {@code Outer.lambda$main$0} for a serializable lambda, or null if it has no serialized form. */
    static String implName(Object lambda) {
        try {
            return implName(serializedForm(lambda));
        } catch (KryoException e) {
            return null;
        }
    }

    private static String implName(SerializedLambda sl) {
        return sl.getImplClass().replace('/', '.') + "." + sl.getImplMethodName();
    }

    static SerializedLambda serializedForm(Object lambda) {
        try {
            Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object form = writeReplace.invoke(lambda);
            if (form instanceof SerializedLambda sl) return sl;
            throw new KryoException("lambda " + lambda.getClass().getName() + " did not give a SerializedLambda");
        } catch (NoSuchMethodException e) {
            throw new KryoException("lambda " + lambda.getClass().getName() + " is not serializable: its target type "
                    + "must extend java.io.Serializable (use SerializableFunction and friends)");
        } catch (ReflectiveOperationException e) {
            throw new KryoException("cannot read the serialized form of lambda " + lambda.getClass().getName(), e);
        }
    }
}
