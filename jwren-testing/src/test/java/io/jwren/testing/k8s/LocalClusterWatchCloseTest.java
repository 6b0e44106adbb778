package io.jwren.testing.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test cluster's API server survives watches that close while events stream to them — what every
 * executor does when it closes its informers while pods still change. Before {@link WatchCloseOffEventLoop},
 * such a close could block a server event loop for 30 s and make {@link LocalCluster#close()} fail with
 * "Unable to close MockWebServer".
 */
class LocalClusterWatchCloseTest {
    @TempDir
    Path logs;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // without the fix each round stalls 30 s: fail, don't crawl
    void watchesClosedWhileEventsStreamLeaveTheServerResponsiveAndClosable() throws Exception {
        LocalCluster cluster = LocalCluster.start(logs, Map.of());
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<Integer> writes = writer.submit(() -> {
                int n = 0;
                while (writing.get()) {
                    cluster.client().configMaps().inNamespace(LocalCluster.NAMESPACE).resource(new ConfigMapBuilder()
                            .withNewMetadata().withName("cm-" + n).withNamespace(LocalCluster.NAMESPACE).endMetadata()
                            .addToData("n", Integer.toString(n)).build()).create();
                    n++;
                }
                return n;
            });
            for (int round = 0; round < 30; round++) {
                CountDownLatch firstEvent = new CountDownLatch(1);
                Watch watch = cluster.client().configMaps().inNamespace(LocalCluster.NAMESPACE).watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        firstEvent.countDown();
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
                assertTrue(firstEvent.await(60, TimeUnit.SECONDS), "round " + round + ": no watch event in 60 s");
                watch.close(); // while the writer keeps events coming
            }
            writing.set(false);
            int created = writes.get(60, TimeUnit.SECONDS);
            assertEquals(created, cluster.client().configMaps().inNamespace(LocalCluster.NAMESPACE).list().getItems().size(),
                    "the server still answers after the watches closed");
        } finally {
            writer.shutdownNow();
            assertDoesNotThrow(cluster::close, "the API server closes once its watches are gone");
        }
    }
}
