package io.jwren.engine.closure;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * JDK collections that are views or wrappers ({@code Collections.unmodifiableList},
 * {@code synchronizedMap}, {@code Arrays.asList}, sublists and key sets): Kryo's collection serializer
 * would instantiate them empty and fail to add to them. They travel as their elements and are rebuilt
 * as the same kind of wrapper around a plain copy; views become plain copies.
 */
final class CollectionCopySerializer extends Serializer<Object> {
    enum Shape { COLLECTION, LIST, SET, SORTED_SET, NAVIGABLE_SET, MAP, SORTED_MAP, NAVIGABLE_MAP }
    enum Wrap { NONE, UNMODIFIABLE, SYNCHRONIZED, ARRAYS_AS_LIST }

    private final Shape shape;
    private final Wrap wrap;

    private CollectionCopySerializer(Shape shape, Wrap wrap) {
        this.shape = shape;
        this.wrap = wrap;
    }

    /** Registers the wrappers and views this serializer handles, by their JDK-internal class names. */
    static void register(Kryo kryo) {
        String[][] wrappers = {
                {"Collection", "COLLECTION"}, {"Set", "SET"}, {"SortedSet", "SORTED_SET"},
                {"NavigableSet", "NAVIGABLE_SET"}, {"List", "LIST"}, {"Map", "MAP"}, {"SortedMap", "SORTED_MAP"},
                {"NavigableMap", "NAVIGABLE_MAP"}};
        for (String[] w : wrappers) {
            add(kryo, "java.util.Collections$Unmodifiable" + w[0], Shape.valueOf(w[1]), Wrap.UNMODIFIABLE);
            add(kryo, "java.util.Collections$Synchronized" + w[0], Shape.valueOf(w[1]), Wrap.SYNCHRONIZED);
        }
        add(kryo, "java.util.Arrays$ArrayList", Shape.LIST, Wrap.ARRAYS_AS_LIST);
        add(kryo, "java.util.ArrayList$SubList", Shape.LIST, Wrap.NONE);
        add(kryo, "java.util.AbstractList$SubList", Shape.LIST, Wrap.NONE);
        add(kryo, "java.util.HashMap$KeySet", Shape.SET, Wrap.NONE);
        add(kryo, "java.util.HashMap$Values", Shape.LIST, Wrap.NONE);
        add(kryo, "java.util.LinkedHashMap$LinkedKeySet", Shape.SET, Wrap.NONE);
        add(kryo, "java.util.LinkedHashMap$LinkedValues", Shape.LIST, Wrap.NONE);
        add(kryo, "java.util.TreeMap$KeySet", Shape.NAVIGABLE_SET, Wrap.NONE);
    }

    private static void add(Kryo kryo, String className, Shape shape, Wrap wrap) {
        try {
            kryo.addDefaultSerializer(Class.forName(className), new CollectionCopySerializer(shape, wrap));
        } catch (ClassNotFoundException e) {
            // Another JDK's internals; Kryo's defaults apply there.
        }
    }

    private boolean isMap() {
        return shape == Shape.MAP || shape == Shape.SORTED_MAP || shape == Shape.NAVIGABLE_MAP;
    }

    private boolean isSorted() {
        return shape == Shape.SORTED_SET || shape == Shape.NAVIGABLE_SET || shape == Shape.SORTED_MAP
                || shape == Shape.NAVIGABLE_MAP;
    }

    @Override
    public void write(Kryo kryo, Output output, Object value) {
        if (isSorted()) {
            Comparator<?> comparator = value instanceof SortedSet<?> s ? s.comparator() : ((SortedMap<?, ?>) value).comparator();
            kryo.writeClassAndObject(output, comparator);
        }
        if (isMap()) {
            Map<?, ?> map = (Map<?, ?>) value;
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet()); // one consistent snapshot
            output.writeVarInt(entries.size(), true);
            for (Map.Entry<?, ?> e : entries) {
                kryo.writeClassAndObject(output, e.getKey());
                kryo.writeClassAndObject(output, e.getValue());
            }
        } else {
            Object[] elements = ((Collection<?>) value).toArray();
            output.writeVarInt(elements.length, true);
            for (Object e : elements) kryo.writeClassAndObject(output, e);
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object read(Kryo kryo, Input input, Class<?> type) {
        Comparator comparator = isSorted() ? (Comparator) kryo.readClassAndObject(input) : null;
        int size = input.readVarInt(true);
        if (isMap()) {
            Map map = isSorted() ? new TreeMap(comparator) : new LinkedHashMap(size * 2);
            for (int i = 0; i < size; i++) map.put(kryo.readClassAndObject(input), kryo.readClassAndObject(input));
            return switch (wrap) {
                case UNMODIFIABLE -> shape == Shape.MAP ? Collections.unmodifiableMap(map)
                        : shape == Shape.SORTED_MAP ? Collections.unmodifiableSortedMap((SortedMap) map)
                        : Collections.unmodifiableNavigableMap((NavigableMap) map);
                case SYNCHRONIZED -> shape == Shape.MAP ? Collections.synchronizedMap(map)
                        : shape == Shape.SORTED_MAP ? Collections.synchronizedSortedMap((SortedMap) map)
                        : Collections.synchronizedNavigableMap((NavigableMap) map);
                default -> map;
            };
        }
        Object[] elements = new Object[size];
        for (int i = 0; i < size; i++) elements[i] = kryo.readClassAndObject(input);
        if (wrap == Wrap.ARRAYS_AS_LIST) return Arrays.asList(elements);
        Collection c = switch (shape) {
            case SET -> new LinkedHashSet(Arrays.asList(elements));
            case SORTED_SET, NAVIGABLE_SET -> {
                TreeSet t = new TreeSet(comparator);
                t.addAll(Arrays.asList(elements));
                yield t;
            }
            default -> new ArrayList(Arrays.asList(elements));
        };
        return switch (wrap) {
            case UNMODIFIABLE -> switch (shape) {
                case LIST -> Collections.unmodifiableList((List) c);
                case SET -> Collections.unmodifiableSet((java.util.Set) c);
                case SORTED_SET -> Collections.unmodifiableSortedSet((SortedSet) c);
                case NAVIGABLE_SET -> Collections.unmodifiableNavigableSet((NavigableSet) c);
                default -> Collections.unmodifiableCollection(c);
            };
            case SYNCHRONIZED -> switch (shape) {
                case LIST -> Collections.synchronizedList((List) c);
                case SET -> Collections.synchronizedSet((java.util.Set) c);
                case SORTED_SET -> Collections.synchronizedSortedSet((SortedSet) c);
                case NAVIGABLE_SET -> Collections.synchronizedNavigableSet((NavigableSet) c);
                default -> Collections.synchronizedCollection(c);
            };
            default -> c;
        };
    }
}
