package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KryoPoolTest {
    private static final ClassLoader LOADER = KryoPoolTest.class.getClassLoader();

    @Test
    void aReleasedInstanceIsReusedAndAShippingOneForgetsTheClassesItMet() {
        KryoPool pool = new KryoPool(LOADER, true);
        Kryo first = pool.borrow();
        first.writeClassAndObject(new Output(256, -1), LocalDate.of(2026, 12, 4));
        assertTrue(KryoFactory.classesMet(first).contains(LocalDate.class));
        pool.release(first);

        Kryo again = pool.borrow();
        assertSame(first, again);
        assertEquals(Set.of(), KryoFactory.classesMet(again), "a reused shipping Kryo starts with no classes met");
        again.writeClassAndObject(new Output(256, -1), "text");
        assertFalse(KryoFactory.classesMet(again).contains(LocalDate.class));
    }

    @Test
    void anInstanceThatThrewIsNotGivenBack() {
        KryoPool pool = new KryoPool(LOADER, false);
        Kryo[] used = new Kryo[1];
        assertThrows(RuntimeException.class, () -> pool.use(kryo -> {
            used[0] = kryo;
            return kryo.readClassAndObject(new Input(new byte[] {1, 2, 3}));
        }));
        assertNotSame(used[0], pool.borrow());
    }

    @Test
    void concurrentUsersGetTheirOwnInstancesThatReadWhatTheyWrote() throws Exception {
        KryoPool pool = KryoPool.reading(LOADER);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    List<Integer> value = List.of(id, i);
                    Output out = new Output(64, -1);
                    pool.use(kryo -> {
                        kryo.writeClassAndObject(out, value);
                        return null;
                    });
                    Object back = pool.use(kryo -> kryo.readClassAndObject(new Input(out.toBytes())));
                    if (!value.equals(back)) wrong.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        assertEquals(0, wrong.get());
    }
}
