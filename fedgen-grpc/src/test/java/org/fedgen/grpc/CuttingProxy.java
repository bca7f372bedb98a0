package org.fedgen.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 for tests: forwards every connection to the server, but cuts the first one (both sockets
 * closed, as a network failure would) once the server has sent it {@code cutAfterBytes} bytes, e.g. in the middle of
 * the first model, right after the host registered and was given its tasks. {@link #cutNow} cuts every open
 * connection, and while {@link #hold} is on, new connections are accepted and closed at once (the network is down).
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listen;
    private final int upstreamPort;
    private final long cutAfterBytes;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean held;
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    CuttingProxy(int upstreamPort, long cutAfterBytes) throws IOException {
        this.listen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.cutAfterBytes = cutAfterBytes;
        Thread t = new Thread(this::accept, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listen.getLocalPort();
    }

    /** Whether the first connection was cut. */
    boolean didCut() {
        return cut;
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** While on, new connections are closed as soon as they are accepted. */
    void hold(boolean on) {
        held = on;
    }

    /** Cuts every open connection. */
    void cutNow() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        cut = true;
    }

    private void accept() {
        while (!listen.isClosed()) {
            try {
                Socket client = listen.accept();
                if (held) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(server);
                boolean first = connections.incrementAndGet() == 1;
                pump(client, server, Long.MAX_VALUE);
                pump(server, client, first ? cutAfterBytes : Long.MAX_VALUE);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long limit) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            long total = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (total + n >= limit) {
                        cut = true;
                        break;
                    }
                    out.write(buf, 0, n);
                    total += n;
                }
            } catch (IOException e) {
                // the other direction closed the sockets
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listen.close();
    }
}
