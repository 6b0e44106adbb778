package io.jwren.storage;

import io.jwren.spi.NoSuchKeyException;
import io.jwren.spi.Storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Storage in this JVM's heap, shared by name ({@code mem://name}) for as long as the JVM runs. For tests
 * and in-process use where storage itself is not under test; worker JVMs cannot see it.
 */
final class InMemoryStorage implements Storage {
    private final String uri;
    private final ConcurrentSkipListMap<String, byte[]> objects;

    InMemoryStorage(String uri, ConcurrentSkipListMap<String, byte[]> objects) {
        this.uri = uri;
        this.objects = objects;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public void put(String key, byte[] data) {
        objects.put(key, data.clone());
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return objects.putIfAbsent(key, data.clone()) == null;
    }

    private byte[] bytes(String key) {
        byte[] b = objects.get(key);
        if (b == null) throw new NoSuchKeyException(uri, key);
        return b;
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(bytes(key));
    }

    @Override
    public InputStream openRange(String key, long offset, long length) {
        byte[] b = bytes(key);
        int from = (int) Math.min(offset, b.length);
        return new ByteArrayInputStream(b, from, (int) Math.min(length, b.length - from));
    }

    @Override
    public long size(String key) {
        return get(key).length; // get names a missing key
    }

    @Override
    public boolean exists(String key) {
        return objects.containsKey(key);
    }

    @Override
    public List<String> list(String prefix) {
        return List.copyOf(objects.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public void deletePrefix(String prefix) {
        objects.subMap(prefix, prefix + Character.MAX_VALUE).clear();
    }
}
