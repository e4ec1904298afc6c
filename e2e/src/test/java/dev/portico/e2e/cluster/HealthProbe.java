package dev.portico.e2e.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Polls a control-plane component's health endpoint until it answers 200. */
final class HealthProbe {
  private final HttpClient http;

  private HealthProbe(HttpClient http) {
    this.http = http;
  }

  /** For plain-HTTP endpoints (etcd on loopback). */
  static HealthProbe plain() {
    return new HealthProbe(builder().build());
  }

  /** For endpoints whose certificate the given CA signed (kube-apiserver). */
  static HealthProbe trusting(Path caCert) {
    try (InputStream in = Files.newInputStream(caCert)) {
      X509Certificate ca =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", ca);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return tls(factory.getTrustManagers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * For kube-controller-manager, which serves /healthz with a certificate it made itself. The probe
   * only checks liveness of a child process on loopback, so any certificate will do.
   */
  static HealthProbe anyCertificate() {
    return tls(new TrustManager[] {new TrustAnything()});
  }

  /**
   * Waits for {@code url} to answer 200, failing at once if {@code process} exits. No log tail
   * here: {@link LocalControlPlane} appends every process's tail to a startup failure.
   */
  void await(String what, Duration timeout, String url, ManagedProcess process) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    Poll.until(
        what,
        timeout,
        () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
        process::checkAlive,
        () -> "");
  }

  /**
   * HTTP/1.1 only: JDK 17's HTTP/2 client keeps failing with "GOAWAY received" on a connection
   * kube-apiserver closed while it was still starting, so /readyz would never be seen.
   */
  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2));
  }

  private static HealthProbe tls(TrustManager[] trust) {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust, null);
      return new HealthProbe(builder().sslContext(tls).build());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Accepts any certificate and host name. */
  private static final class TrustAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
