package io.jwren.testing.k8s;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.lang.reflect.Field;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;

/**
 * Hands the mock API server's watch listener its close and failure callbacks on another thread than the
 * Vert.x event loop that reports them.
 *
 * <p>Why: fabric8 8.0.0's {@code WatchEventsListener.onClosed} (and {@code onFailure}) waits up to a minute
 * for the listener's send executor to finish, and a send in progress waits up to 30 s for its write to
 * complete — on the very event loop that is waiting in {@code onClosed}. A watch that closes while an event is
 * being sent to it therefore blocks that loop for 30 s: every request it serves stalls, and
 * {@code MockWebServer.shutdown} gives up after 10 s with "Unable to close MockWebServer" (seen in CI, and
 * reproduced with both cores busy: the thread dump shows the loop parked in {@code onClosed}). Off the loop,
 * the pending write completes at once and the close finishes.
 *
 * <p>Second, the same {@code onClosed} shuts the listener's executor down before it leaves the server's set of
 * watches: an event for it in that window throws {@code RejectedExecutionException} out of the write that
 * caused it, so that request is never answered and the watches after it in the set miss the event. So the
 * listener leaves the set first, under the write side of {@code eventsLock}, whose read side every request
 * that can send events holds ({@link LocalCluster}): no event can be on its way to it when it shuts down.
 */
final class WatchCloseOffEventLoop extends WebSocketListener {
    private final WebSocketListener watch;
    private final Executor closer;
    private final Lock eventsLock;

    WatchCloseOffEventLoop(WebSocketListener watch, Executor closer, Lock eventsLock) {
        this.watch = watch;
        this.closer = closer;
        this.eventsLock = eventsLock;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        watch.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        watch.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        watch.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        watch.onMessage(webSocket, bytes);
    }

    @Override
    public void onPing(WebSocket webSocket, byte[] bytes) {
        watch.onPing(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        watch.onClosing(webSocket, code, reason); // only queues the close on the listener's executor
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        closer.execute(() -> {
            leaveWatchSet();
            watch.onClosed(webSocket, code, reason);
        });
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        closer.execute(() -> {
            leaveWatchSet();
            watch.onFailure(webSocket, t, response);
        });
    }

    private void leaveWatchSet() {
        eventsLock.lock();
        try {
            watchSet().remove(watch);
        } finally {
            eventsLock.unlock();
        }
    }

    /** The server's set of watches, which fabric8 8.0.0 hands each WatchEventsListener and keeps private. */
    private Set<?> watchSet() {
        try {
            Field set = watch.getClass().getDeclaredField("watchEventListenerList");
            set.setAccessible(true);
            return (Set<?>) set.get(watch);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the fabric8 mock server's " + watch.getClass().getName()
                    + " no longer keeps its watch set in 'watchEventListenerList': revisit WatchCloseOffEventLoop", e);
        }
    }
}
