package io.mlcycle.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a loopback port in front of an S3 endpoint, which a test turns faulty and heals: it
 * passes the traffic through, slowly ({@link #slow}: a pause before every chunk it forwards), or answers
 * every request with {@code 503 Slow Down}, S3's throttling error ({@link #slowDownErrors}). A change of
 * fault closes the connections open at that moment, so a pooled connection cannot escape it.
 */
public final class FaultyEndpoint implements AutoCloseable {
  private enum Fault { NONE, SLOW, SLOW_DOWN_ERRORS }

  private static final String SLOW_DOWN = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
      + "<Message>Please reduce your request rate.</Message></Error>";

  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong errorsAnswered = new AtomicLong();
  private volatile Fault fault = Fault.NONE;
  private volatile long pauseMillis;

  /** Listens on a free loopback port and forwards to {@code upstreamPort} on the loopback address. */
  public FaultyEndpoint(int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "faulty-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Every request is answered {@code 503 Slow Down}. */
  public void slowDownErrors() {
    change(Fault.SLOW_DOWN_ERRORS, 0);
  }

  /** Traffic passes, with a pause of {@code millis} before every chunk forwarded either way. */
  public void slow(long millis) {
    change(Fault.SLOW, millis);
  }

  /** Traffic passes as it is. */
  public void heal() {
    change(Fault.NONE, 0);
  }

  /** How many requests were answered with an error so far. */
  public long errorsAnswered() {
    return errorsAnswered.get();
  }

  private void change(Fault next, long millis) {
    pauseMillis = millis;
    fault = next;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        Fault now = fault;
        if (now == Fault.SLOW_DOWN_ERRORS) {
          start(() -> answerSlowDown(client));
        } else {
          Socket store = new Socket();
          store.connect(upstream);
          open.add(store);
          start(() -> pipe(client, store));
          start(() -> pipe(store, client));
        }
      } catch (IOException e) {
        // The server socket was closed, or the store refused: the client sees its connection drop.
      }
    }
  }

  /** Reads the request head (every request of S3A fits a short head or gets no body read) and answers 503. */
  private void answerSlowDown(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      StringBuilder head = new StringBuilder();
      int b;
      while ((b = in.read()) != -1) {
        head.append((char) b);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          break;
        }
      }
      byte[] body = SLOW_DOWN.getBytes(StandardCharsets.UTF_8);
      OutputStream out = client.getOutputStream();
      out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      errorsAnswered.incrementAndGet();
    } catch (IOException e) {
      // The client went away first.
    }
  }

  private void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) != -1) {
        long pause = pauseMillis;
        if (fault == Fault.SLOW && pause > 0) {
          Thread.sleep(pause);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // One side closed.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void start(Runnable task) {
    Thread thread = new Thread(task, "faulty-endpoint-connection");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    change(Fault.NONE, 0);
  }
}
