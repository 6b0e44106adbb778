package demo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.Executor;
import io.jwren.MapOptions;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Maps a function that uses the application's own Kryo 4 and ASM 7 on the configured backend, and does the same
 * here. Prints one line per side: "client ..." and "mapped [...]".
 */
public final class OwnLibrariesApp {
    /** A round trip through the application's Kryo, and which Kryo and ASM generations answered. */
    static String viaOwnLibraries(int x) {
        Kryo kryo = new Kryo();
        Output out = new Output(64);
        kryo.writeObject(out, x);
        int back = kryo.readObject(new Input(out.toBytes()), Integer.class);
        return back + "/" + kryoGeneration() + "/" + asmGeneration() + "/" + kryoClassName();
    }

    /** Kryo 5 added com.esotericsoftware.kryo.util.Pool; Kryo 4 lacks it. */
    static String kryoGeneration() {
        try {
            Class.forName("com.esotericsoftware.kryo.util.Pool", false, Kryo.class.getClassLoader());
            return "kryo5";
        } catch (ClassNotFoundException e) {
            return "kryo4";
        }
    }

    /** ASM 8 added Opcodes.ASM8; ASM 7 lacks it. */
    static String asmGeneration() {
        try {
            Opcodes.class.getField("ASM8");
            return "asm8+";
        } catch (NoSuchFieldException e) {
            return "asm7";
        }
    }

    /** Kryo's class name as ASM 7 reads it from Kryo 4's class file (ASM 7 cannot read Java 17 class files). */
    static String kryoClassName() {
        try (InputStream in = Kryo.class.getResourceAsStream("Kryo.class")) {
            return new ClassReader(in).getClassName();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("client " + viaOwnLibraries(0));
        try (Executor ex = Executor.fromConfig()) {
            List<String> mapped = ex.map((Integer x) -> viaOwnLibraries(x), List.of(1, 2, 3),
                    MapOptions.builder().chunkSize(1).build()).get();
            System.out.println("mapped " + mapped);
        }
    }
}
