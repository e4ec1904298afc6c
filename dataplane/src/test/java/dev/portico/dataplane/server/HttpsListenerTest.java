package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.compiler.tls.TestCertificates;
import dev.portico.compiler.tls.TestCertificates.Issued;
import dev.portico.compiler.tls.TestCertificates.KeyFormat;
import dev.portico.compiler.tls.TlsProbe;
import dev.portico.dataplane.metrics.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS listeners on loopback, configured as standalone mode is (Secrets in the folder): TLS with
 * HTTP/1.1 and h2 by ALPN, SNI, rotation without a restart, smuggling defences behind TLS, the
 * proxy headers, and a listener whose certificate is bad left closed while HTTP serves.
 */
class HttpsListenerTest {
  private static final Issued SHOP = TestCertificates.rsa("shop.example.com", KeyFormat.PKCS8);
  private static final Issued API = TestCertificates.ec("api.example.com", KeyFormat.TRADITIONAL);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private GatewayHarness h;
  private int tlsPort;

  @BeforeEach
  void start() throws Exception {
    h = new GatewayHarness(new ProxyMetrics(registry), null);
    h.backend("a");
    tlsPort = GatewayHarness.freePort();
    h.listeners(
        """
            - name: https
              port: %d
              protocol: HTTPS
              tls: {certificateRefs: [{name: shop-cert}, {name: api-cert}]}
        """
            .formatted(tlsPort));
    h.file("secrets.yaml", secret("shop-cert", SHOP) + "---\n" + secret("api-cert", API));
    h.serve(
        """
            - matches: [{path: {type: PathPrefix, value: /}}]
              backends: [{name: a, port: 80}]
        """);
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  @Test
  void servesHttp11WithHttpsProxyHeaders() throws Exception {
    try (SSLSocket s = connect("shop.example.com", "http/1.1")) {
      assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
      assertThat(s.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
      RawHttp.Response r = get(s, "/x", "shop.example.com");
      assertThat(r.status()).isEqualTo(200);
      JsonObject seen = new JsonObject(r.text().substring(r.text().indexOf("\r\n\r\n") + 4));
      assertThat(seen.getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("https");
      assertThat(seen.getJsonObject("headers").getString("forwarded")).contains(";proto=https");
    }
  }

  @Test
  void servesH2ChosenByAlpn() throws Exception {
    HttpClientAgent client =
        h.vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setForceSni(true)
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2));
    try {
      String answer =
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setServer(SocketAddress.inetSocketAddress(tlsPort, "127.0.0.1"))
                      .setHost("shop.example.com")
                      .setPort(tlsPort)
                      .setURI("/h2"))
              .compose(req -> req.send())
              .compose(
                  resp ->
                      resp.body()
                          .map(
                              body ->
                                  resp.version()
                                      + " "
                                      + resp.statusCode()
                                      + " "
                                      + new JsonObject(body)
                                          .getJsonObject("headers")
                                          .getString("x-forwarded-proto")))
              .toCompletionStage()
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      assertThat(answer).isEqualTo("HTTP_2 200 https");
    } finally {
      client.close();
    }
  }

  @Test
  void sniChoosesTheCertificateAndTheFirstIsTheDefault() throws Exception {
    assertThat(servedSubject("shop.example.com")).isEqualTo("CN=shop.example.com");
    assertThat(servedSubject("api.example.com")).isEqualTo("CN=api.example.com");
    assertThat(servedSubject(null)).isEqualTo("CN=shop.example.com");
    assertThat(servedSubject("unknown.example.com")).isEqualTo("CN=shop.example.com");
  }

  @Test
  void smugglingIsRefusedBehindTls() throws Exception {
    try (SSLSocket s = connect("shop.example.com", "http/1.1")) {
      RawHttp.Response r =
          RawHttp.exchange(
              s,
              "POST / HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: 4\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
              3000);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.closed()).isTrue();
    }
    try (SSLSocket s = connect("shop.example.com", "http/1.1")) {
      RawHttp.Response r =
          RawHttp.exchange(
              s, "GET / HTTP/1.1\r\nHost: shop.example.com\r\nX-A: 1\r\n  folded\r\n\r\n", 3000);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.closed()).isTrue();
    }
  }

  @Test
  void aRotatedSecretIsServedWhileOpenConnectionsKeepWorking() throws Exception {
    try (SSLSocket before = connect("shop.example.com", "http/1.1")) {
      assertThat(get(before, "/1", "shop.example.com", false).status()).isEqualTo(200);
      Issued next = TestCertificates.ec("shop.example.com", KeyFormat.PKCS8);
      h.file("secrets.yaml", secret("shop-cert", next) + "---\n" + secret("api-cert", API));
      h.mode.reload(false);

      try (SSLSocket after = connect("shop.example.com", "http/1.1")) {
        assertThat(TlsProbe.served(after)).isEqualTo(next.certificateDer());
        assertThat(get(after, "/2", "shop.example.com").status()).isEqualTo(200);
      }
      assertThat(get(before, "/3", "shop.example.com").status()).isEqualTo(200);
    }
  }

  @Test
  void aListenerWithABadCertificateIsClosedWhileHttpServes() throws Exception {
    Issued other = TestCertificates.rsa("shop.example.com", KeyFormat.PKCS8);
    h.file(
        "secrets.yaml",
        secret("shop-cert", new Issued(SHOP.certificatePem(), other.keyPem()))
            + "---\n"
            + secret("api-cert", new Issued(API.certificatePem(), "not a key")));
    h.mode.reload(false);
    assertThatThrownBy(() -> new Socket("127.0.0.1", tlsPort).close())
        .isInstanceOf(IOException.class);
    assertThat(h.get("/plain").statusCode()).isEqualTo(200);
    assertThat(h.gateway.snapshot().listeners()).extracting(l -> l.name()).containsExactly("http");
  }

  @Test
  void failedHandshakesAreCounted() throws Exception {
    RawHttp.Response r = RawHttp.send(tlsPort, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.closed()).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (registry.counter("portico.tls.handshake.failures").count() < 1
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(registry.counter("portico.tls.handshake.failures").count()).isEqualTo(1.0);
  }

  private String servedSubject(String sni) throws Exception {
    try (SSLSocket s = connect(sni, "http/1.1")) {
      return ((X509Certificate) s.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    }
  }

  private SSLSocket connect(String sni, String... alpn) throws Exception {
    return TlsProbe.connect(tlsPort, sni, alpn);
  }

  private static RawHttp.Response get(Socket s, String path, String host) throws IOException {
    return get(s, path, host, true);
  }

  /** A GET on an open connection; kept alive unless {@code close}. Reads until 2 s of quiet. */
  private static RawHttp.Response get(Socket s, String path, String host, boolean close)
      throws IOException {
    return RawHttp.exchange(
        s,
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + (close ? "\r\nConnection: close" : "")
            + "\r\n\r\n",
        close ? 10_000 : 2000);
  }

  private static String secret(String name, Issued issued) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: default}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        """
        .formatted(name, base64(issued.certificatePem()), base64(issued.keyPem()));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
