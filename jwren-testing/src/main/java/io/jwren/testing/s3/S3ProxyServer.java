package io.jwren.testing.s3;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * S3Proxy embedded in the test JVM, SigV4 authentication on: a real S3 protocol server, started and
 * stopped by the tests themselves. Objects live in memory, or in a directory for big ones.
 */
public final class S3ProxyServer implements AutoCloseable {
    /**
     * Credentials S3Proxy checks signatures with. Random-looking and unlike anything else a job holds, so
     * tests can search storage, logs and command lines for them (or any 8 characters of them); the
     * secret has a '+' and a '/' like real AWS secrets, which URL-encoding would change.
     */
    public static final String ACCESS_KEY = "JWRENKEYQ7X3ZV9KT2WM";
    public static final String SECRET_KEY = "jwrenS3cret+9fK2pLq8Vw3Rt6Yz/Hn4Bc1Dm5Xs7G";

    private final S3Proxy proxy;
    private final CountingBlobStore store;
    private final URI endpoint;
    private final boolean ownsStore;

    private S3ProxyServer(S3Proxy proxy, CountingBlobStore store, URI endpoint, boolean ownsStore) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = endpoint;
        this.ownsStore = ownsStore;
    }

    /** @param dir where objects are kept, or null to keep them in memory */
    public static S3ProxyServer start(Path dir) throws Exception {
        return start(new CountingBlobStore(dir == null ? new TransientNio2BlobStore()
                : new FilesystemNio2BlobStore(dir.toString())), true);
    }

    /**
     * A second server over the objects of {@code other}, counting only what is asked of it: give one party (a worker)
     * this endpoint and the other that of {@code other}, and each one's requests are counted apart. Closing it leaves
     * the objects to {@code other}.
     */
    public static S3ProxyServer startSharing(S3ProxyServer other) throws Exception {
        return start(new CountingBlobStore(other.store.delegate()), false);
    }

    private static S3ProxyServer start(CountingBlobStore store, boolean ownsStore) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            Thread.onSpinWait();
        }
        return new S3ProxyServer(proxy, store, endpoint, ownsStore);
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public void createBucket(String name) {
        store.createContainer(name);
    }

    /** The stored length of an object, read from the store itself rather than through S3. */
    public long objectSize(String bucket, String key) {
        return store.blobMetadata(bucket, key).contentLength();
    }

    /** Object operations the server has served since the last reset, from every client and worker. */
    public List<CountingBlobStore.Operation> operations() {
        return store.operations();
    }

    public void resetOperations() {
        store.reset();
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** Lets the AWS default provider chain, here and in worker JVMs this JVM starts, find the test credentials. */
    public static void useAsDefaultCredentials() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }


    @Override
    public void close() throws Exception {
        proxy.stop();
        if (!ownsStore) return;
        try {
            store.close();
        } catch (RuntimeException ignored) {
            // in-memory stores have nothing to release
        }
    }

}
