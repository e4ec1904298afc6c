package dev.portico.dataplane.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes as they are over a plain socket, for requests no well-behaved client would send
 * (smuggling attempts, oversized heads), and reports whether the server closed the connection.
 */
public final class RawHttp {
  /**
   * @param text everything the server sent before closing or going quiet for {@code quietMillis}
   * @param closed true when the server closed the connection
   */
  public record Response(String text, boolean closed) {
    public int status() {
      if (!text.startsWith("HTTP/1.")) {
        return -1;
      }
      return Integer.parseInt(text.substring(9, 12));
    }
  }

  private RawHttp() {}

  public static Response send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), 2000);
  }

  /**
   * Sends a harmless request first and waits for its answer, then {@code request} on the same
   * connection: checks that apply from a connection's second request on.
   */
  public static Response sendAfterWarmup(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000); // a cold JVM's first proxied request can take a while
      s.getOutputStream()
          .write(
              "GET /warmup HTTP/1.1\r\nHost: localhost\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream warm = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!complete(warm.toString(StandardCharsets.ISO_8859_1))) {
        int n = in.read(buf);
        if (n < 0) {
          throw new IOException("closed during warm-up: " + warm);
        }
        warm.write(buf, 0, n);
      }
      s.setSoTimeout(2000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return read(s);
    }
  }

  /** True once a response head and its Content-Length body are in. */
  private static boolean complete(String text) {
    int head = text.indexOf("\r\n\r\n");
    if (head < 0) {
      return false;
    }
    int cl = text.toLowerCase().indexOf("content-length: ");
    int length = Integer.parseInt(text.substring(cl + 16, text.indexOf("\r\n", cl)).trim());
    return text.length() >= head + 4 + length;
  }

  /** Sends {@code request} on an open socket (a TLS one, say) and reads until quiet or closed. */
  public static Response exchange(Socket s, String request, int quietMillis) throws IOException {
    s.setSoTimeout(quietMillis);
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return read(s);
  }

  public static Response send(int port, byte[] request, int quietMillis) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(quietMillis);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      return read(s);
    }
  }

  private static Response read(Socket s) throws IOException {
    {
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      boolean closed = false;
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
        }
        closed = true;
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (IOException e) {
        closed = true; // reset by peer
      }
      return new Response(out.toString(StandardCharsets.ISO_8859_1), closed);
    }
  }
}
