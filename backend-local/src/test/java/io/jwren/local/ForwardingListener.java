package io.jwren.local;

import io.jwren.spi.Invocation;
import io.jwren.spi.InvocationListener;

/** Passes every report on to the engine's listener; test backends override the report they change. */
class ForwardingListener implements InvocationListener {
    final InvocationListener engine;

    ForwardingListener(InvocationListener engine) {
        this.engine = engine;
    }

    @Override
    public void started(Invocation inv, String workerId) {
        engine.started(inv, workerId);
    }

    @Override
    public void completed(Invocation inv) {
        engine.completed(inv);
    }

    @Override
    public void lost(Invocation inv, String reason) {
        engine.lost(inv, reason);
    }
}
