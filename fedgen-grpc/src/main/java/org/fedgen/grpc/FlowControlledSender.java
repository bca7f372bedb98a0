package org.fedgen.grpc;

import io.grpc.stub.CallStreamObserver;

/**
 * Serialises the messages of one stream and waits for the transport to be ready before each, so a large model is
 * sent at the network's pace instead of being queued in memory in full.
 *
 * @param <T> the message type
 */
final class FlowControlledSender<T> {
    private final CallStreamObserver<T> out;
    private boolean closed;

    FlowControlledSender(CallStreamObserver<T> out) {
        this.out = out;
    }

    /** To be called from the stream's on-ready handler. */
    synchronized void onReady() {
        notifyAll();
    }

    /**
     * Sends {@code msg} once the stream can take it.
     *
     * @throws IllegalStateException if the stream is closed (before or while waiting)
     */
    synchronized void send(T msg) {
        try {
            while (!closed && !out.isReady()) {
                wait(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
        if (closed) {
            throw new IllegalStateException("stream closed");
        }
        out.onNext(msg);
    }

    /** Ends the stream normally (once); later sends fail. */
    synchronized void complete() {
        if (!closed) {
            closed = true;
            notifyAll();
            try {
                out.onCompleted();
            } catch (IllegalStateException e) {
                // already closed by the transport
            }
        }
    }

    /** Marks the stream closed by the peer or the transport; later sends fail. */
    synchronized void closed() {
        closed = true;
        notifyAll();
    }
}
