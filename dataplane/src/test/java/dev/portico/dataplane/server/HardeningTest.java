package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Limits and request-smuggling defences, over raw sockets: each case must be refused and closed.
 */
class HardeningTest {
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness();
    h.backend("a");
    h.proxySettings(
            """
                maxHeaderBytes: 2048
                maxHeaderCount: 20
                maxUriLength: 256
                maxBodyBytes: 1000
            """)
        .serve(
            """
                - matches: [{path: {type: PathPrefix, value: /}}]
                  backends: [{name: a, port: 80}]
            """);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  private static RawHttp.Response send(String raw) throws Exception {
    return RawHttp.send(h.port, raw);
  }

  @Test
  void wellFormedRequestPasses() throws Exception {
    RawHttp.Response r = send("GET /ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void headerBlockTooLargeIs431() throws Exception {
    RawHttp.Response r =
        send("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(4000) + "\r\n\r\n");
    assertThat(r.status()).isEqualTo(431);
    assertThat(r.closed()).isTrue();
  }

  @Test
  void tooManyHeadersIs431() throws Exception {
    StringBuilder raw = new StringBuilder("GET / HTTP/1.1\r\nHost: localhost\r\n");
    for (int i = 0; i < 30; i++) {
      raw.append("X-H").append(i).append(": v\r\n");
    }
    RawHttp.Response r = send(raw.append("\r\n").toString());
    assertThat(r.status()).isEqualTo(431);
    assertThat(r.text()).contains("application/problem+json");
    assertThat(r.closed()).isTrue();
  }

  @Test
  void uriTooLongIs414() throws Exception {
    RawHttp.Response r = send("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(r.status()).isEqualTo(414);
    assertThat(r.closed()).isTrue();
  }

  @Test
  void requestLineFarTooLongIs414() throws Exception {
    RawHttp.Response r = send("GET /" + "a".repeat(1000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(r.status()).isEqualTo(414);
    assertThat(r.closed()).isTrue();
  }

  @Test
  void declaredBodyTooLargeIs413() throws Exception {
    RawHttp.Response r =
        send(
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(100));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.closed()).isTrue();
  }

  @Test
  void chunkedBodyTooLargeIs413() throws Exception {
    String chunk = Integer.toHexString(600) + "\r\n" + "x".repeat(600) + "\r\n";
    RawHttp.Response r =
        send(
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk
                + chunk
                + chunk
                + "0\r\n\r\n");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.closed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // duplicate, differing Content-Length
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
        // Content-Length list that disagrees
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3, 5\r\n\r\nabcde",
        // obfuscated Transfer-Encoding
        "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        // control character in a header value
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Ctl: a\u0001b\r\n\r\n",
        // invalid Host
        "GET / HTTP/1.1\r\nHost: bad host!\r\n\r\n",
        // two Host headers
        "GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n",
        // missing Host in HTTP/1.1
        "GET / HTTP/1.1\r\nX-A: b\r\n\r\n",
        // absolute-form naming another host than Host
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
        // space before the colon
        "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length : 0\r\n\r\n",
      })
  void smugglingAttemptsAre400AndClose(String raw) throws Exception {
    RawHttp.Response r = send(raw);
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.closed()).as("connection closed").isTrue();
  }

  /**
   * Framing that Netty's decoder would repair (CL+TE, obs-fold) or half-read (chunk errors): the
   * framing inspector refuses it before the decoder, as a connection's first request and later.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // CL.TE
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
        // TE.CL, lower case and reordered
        "POST / HTTP/1.1\r\nHost: localhost\r\ntransfer-encoding: chunked\r\ncontent-length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n",
        // bad chunk size
        "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        // chunk size with a sign
        "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n",
        // chunk data longer than its size
        "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
        // obs-fold
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Folded: a\r\n b\r\n\r\n",
        // duplicate, differing Content-Length
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
      })
  void framingAttacksAre400AndClose(String raw) throws Exception {
    for (RawHttp.Response r : List.of(send(raw), RawHttp.sendAfterWarmup(h.port, raw))) {
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.text()).contains("application/problem+json");
      assertThat(r.closed()).as("connection closed").isTrue();
    }
  }

  @Test
  void chunkedBodiesStillWorkOnKeptAliveConnections() throws Exception {
    RawHttp.Response r =
        RawHttp.sendAfterWarmup(
            h.port,
            "POST /c HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "GET /after HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).as(r.text() + r.closed()).isEqualTo(200);
    assertThat(r.text()).contains("\"bodyBytes\":5").contains("\"uri\":\"/after\"");
  }

  @Test
  void absoluteFormWithMatchingHostIsServed() throws Exception {
    RawHttp.Response r =
        send("GET http://localhost/abs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("\"uri\":\"/abs\"");
  }

  @Test
  void encodedSlashIsRefused() throws Exception {
    RawHttp.Response r =
        send("GET /a%2Fb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).contains("invalid-path");
  }
}
