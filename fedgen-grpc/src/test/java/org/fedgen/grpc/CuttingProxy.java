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
 * the first model, right after the host registered and was given its tasks.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listen;
    private final int upstreamPort;
    private final long cutAfterBytes;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean cut;

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

    private void accept() {
        while (!listen.isClosed()) {
            try {
                Socket client = listen.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
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
