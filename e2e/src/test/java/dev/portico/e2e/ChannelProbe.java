package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.e2e.cluster.ReplicaCredentials;
import dev.portico.e2e.cluster.TestNamespace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A hand-driven replica on the snapshot channel of DataPlane edge: one stream, and acks. For what a
 * real replica does not show, such as whether the operator sent it a frame at all.
 */
final class ChannelProbe implements AutoCloseable {
  private final HttpClient https;
  private final URI base;
  private final Path token;
  private final String replica;
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private Stream<String> lines;
  private Thread reader;

  private ChannelProbe(HttpClient https, URI base, Path token, String replica) {
    this.https = https;
    this.base = base;
    this.token = token;
    this.replica = replica;
  }

  /** Opens the stream, saying it runs {@code have} when not null. */
  static ChannelProbe open(
      int port,
      String caPem,
      TestNamespace ns,
      ReplicaCredentials creds,
      String replica,
      String have)
      throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "channel-ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    HttpClient https =
        HttpClient.newBuilder()
            .sslContext(tls)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    ChannelProbe probe =
        new ChannelProbe(
            https,
            URI.create("https://127.0.0.1:" + port + "/v1/dataplanes/" + ns.name() + "/edge/"),
            creds.token(),
            replica);
    HttpRequest.Builder request = probe.request("snapshots").GET();
    if (have != null) {
      request.header("Portico-Have", have);
    }
    HttpResponse<Stream<String>> response =
        https.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    probe.lines = response.body();
    probe.reader =
        new Thread(
            () -> {
              try {
                probe.lines.filter(l -> !l.isBlank()).forEach(probe.frames::add);
              } catch (RuntimeException closed) {
                // the probe was closed
              }
            },
            "channel-probe-" + replica);
    probe.reader.setDaemon(true);
    probe.reader.start();
    return probe;
  }

  private HttpRequest.Builder request(String path) throws IOException {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + Files.readString(token).trim())
        .header("Portico-Replica", replica);
  }

  /** The next snapshot line, or null when none comes within {@code timeout}. */
  String nextFrame(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void ack(String version) throws Exception {
    HttpResponse<String> r =
        https.send(
            request("acks")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"version\":\"" + version + "\",\"applied\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("ack: " + r.body()).isEqualTo(204);
  }

  @Override
  public void close() {
    lines.close();
    reader.interrupt();
  }
}
