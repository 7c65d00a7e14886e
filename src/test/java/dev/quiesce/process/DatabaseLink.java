package dev.quiesce.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link between the service and its database that a test can {@linkplain #cut() cut} and
 * {@linkplain #restore() restore}, as a database stopped and started again looks from the service: every open
 * connection is reset at once, and new ones are refused until the link is back. (Stopping the machine's real
 * PostgreSQL cluster would pull it from under every other test and developer on the machine; the service cannot
 * tell the difference between the two.)
 */
final class DatabaseLink implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    private DatabaseLink(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** A link on a free local port to {@code host:targetPort}, up. */
    static DatabaseLink to(String host, int targetPort) {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DatabaseLink link = new DatabaseLink(new InetSocketAddress(host, targetPort), probe.getLocalPort());
            probe.close();
            link.restore();
            return link;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Resets every open connection and refuses new ones. */
    synchronized void cut() {
        ServerSocket current = server;
        server = null;
        closeQuietly(current);
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException e) {
                // Already closed by the other side: nothing left to reset.
            }
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    synchronized void restore() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = socket;
            Thread.ofPlatform().daemon(true).name("database-link-accept").start(() -> accept(socket));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket database = new Socket();
                database.connect(target, 5_000);
                open.add(client);
                open.add(database);
                pump(client, database);
                pump(database, client);
            } catch (IOException e) {
                // The listening socket was closed by cut(), or one connection could not be made: the service retries.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon(true).name("database-link-pump").start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Reset by cut() or closed by one side: the pair ends, as a real connection would.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing what is already broken: nothing to report.
        }
    }
}
