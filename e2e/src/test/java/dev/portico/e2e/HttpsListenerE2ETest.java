package dev.portico.e2e;

import static dev.portico.e2e.ClusterFixture.get;
import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.compiler.tls.TestCertificates;
import dev.portico.compiler.tls.TestCertificates.Issued;
import dev.portico.compiler.tls.TestCertificates.KeyFormat;
import dev.portico.compiler.tls.TlsProbe;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * HTTPS through the whole cluster path: a kubernetes.io/tls Secret named by a DataPlane listener is
 * watched by the operator, compiled, sent over the snapshot channel and served by a cluster-mode
 * replica process; a rotated Secret is served without a restart; a malformed Secret is reported on
 * the DataPlane while the replica keeps serving the other listeners.
 */
@KubeE2E
class HttpsListenerE2ETest {
  private static final String HOST = "shop.example.com";

  @Test
  void aTlsSecretIsServedRotatedAndAMalformedOneReported(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int http = PorticoProcess.freePort();
    int https = PorticoProcess.freePort();
    int broken = PorticoProcess.freePort();
    Issued first = TestCertificates.rsa(HOST, KeyFormat.TRADITIONAL);
    try (ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, "catalog says hi", 1, http)) {
      f.apply(secret(ns.name(), "shop-cert", first.certificatePem(), first.keyPem()));
      f.apply(dataPlane(ns.name(), http, https, null));
      try (PorticoProcess replica = f.startWithOneReplica()) {
        replica.awaitReady(Duration.ofSeconds(60));
        Poll.until("HTTPS served", CONVERGE, () -> served(https).equals(first.certificateDer()));
        assertThat(request(https)).startsWith("HTTP/1.1 200").endsWith("catalog says hi");

        // Rotation: the new certificate is served, by the same process.
        Issued second = TestCertificates.ec(HOST, KeyFormat.PKCS8);
        f.apply(secret(ns.name(), "shop-cert", second.certificatePem(), second.keyPem()));
        Poll.until(
            "rotated certificate served",
            CONVERGE,
            () -> served(https).equals(second.certificateDer()));
        assertThat(request(https)).endsWith("catalog says hi");

        // A malformed Secret on another listener: reported, and the rest keeps serving.
        f.apply(secret(ns.name(), "broken-cert", "not a certificate", second.keyPem()));
        f.apply(dataPlane(ns.name(), http, https, broken));
        Condition resolved = awaitResolvedRefsFalse(client, ns.name());
        assertThat(resolved.getReason()).isEqualTo("InvalidCertificateRef");
        assertThat(resolved.getMessage())
            .contains("Secret " + ns.name() + "/broken-cert")
            .contains("tls.crt holds no PEM certificate")
            .contains("listener broken has no usable certificate")
            .doesNotContain(second.keyPem().lines().skip(1).findFirst().orElseThrow());
        assertThat(request(https)).endsWith("catalog says hi");
        assertThat(get("127.0.0.1", http, "/products").body()).isEqualTo("catalog says hi");
        assertThat(replica.admin("/snapshot").body())
            .doesNotContain("broken")
            .doesNotContain(second.keyPem().lines().skip(1).findFirst().orElseThrow())
            .contains("<redacted>");
      }
    }
  }

  private static Condition awaitResolvedRefsFalse(KubernetesClient client, String namespace) {
    Condition[] found = new Condition[1];
    Poll.until(
        "DataPlane ResolvedRefs=False",
        CONVERGE,
        () -> {
          DataPlane dp =
              client.resources(DataPlane.class).inNamespace(namespace).withName("edge").get();
          Condition c =
              dp.getStatus() == null ? null : condition(dp.getStatus().conditions, "ResolvedRefs");
          found[0] = c;
          return c != null && "False".equals(c.getStatus());
        });
    return found[0];
  }

  /** DataPlane edge: http0 on {@code http}, HTTPS on {@code https}, and one on {@code broken}. */
  private static String dataPlane(String namespace, int http, int https, Integer broken) {
    String extra =
        broken == null
            ? ""
            : ", {name: broken, port: %d, protocol: HTTPS, tls: {certificateRefs: [{name: broken-cert}]}}"
                .formatted(broken);
    return """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: edge, namespace: %s}
        spec:
          replicas: 1
          listeners: [{name: http0, port: %d}, {name: https, port: %d, protocol: HTTPS, tls: {certificateRefs: [{name: shop-cert}]}}%s]
        """
        .formatted(namespace, http, https, extra);
  }

  private static String secret(String namespace, String name, String crt, String key) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        """
        .formatted(name, namespace, base64(crt), base64(key));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** The certificate the listener serves for {@link #HOST}, base64 DER; "" while it is closed. */
  private static String served(int port) throws Exception {
    try (SSLSocket s = connect(port)) {
      return TlsProbe.served(s);
    } catch (IOException closed) {
      return "";
    }
  }

  /** GET /products over TLS with SNI; the raw response. */
  private static String request(int port) throws Exception {
    try (SSLSocket s = connect(port)) {
      s.getOutputStream()
          .write(
              ("GET /products HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static SSLSocket connect(int port) throws IOException, GeneralSecurityException {
    return TlsProbe.connect(port, HOST, "http/1.1");
  }
}
