package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.common.Conditions;
import dev.portico.compiler.tls.TestCertificates;
import dev.portico.compiler.tls.TestCertificates.Issued;
import dev.portico.compiler.tls.TestCertificates.KeyFormat;
import dev.portico.manifest.ManifestReader;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotDiff;
import dev.portico.snapshot.SnapshotPatch;
import dev.portico.snapshot.TlsCertificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTPS listeners: certificate Secrets resolved, refused one by one, and rotated. */
class CertificateRefPassTest {
  private static final String OBJECTS =
      """
      apiVersion: portico.dev/v1alpha1
      kind: DataPlane
      metadata: {name: edge, namespace: infra, uid: dp-1, generation: 1}
      spec:
        allowedRoutes: {from: All}
        listeners:
          - {name: http, port: 8080}
          - {name: https, port: 8443, protocol: HTTPS, tls: {certificateRefs: [{name: shop-cert}]}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: app, namespace: shop}
      spec: {ports: [{port: 80}]}
      ---
      apiVersion: portico.dev/v1alpha1
      kind: GatewayRoute
      metadata: {name: shop, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
      spec:
        parentRefs: [{name: edge, namespace: infra, listenerName: https}]
        hostnames: [shop.example.com]
        rules:
          - backends: [{name: app, port: 80}]
      ---
      apiVersion: portico.dev/v1alpha1
      kind: GatewayRoute
      metadata: {name: plain, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
      spec:
        parentRefs: [{name: edge, namespace: infra, listenerName: http}]
        rules:
          - backends: [{name: app, port: 80}]
      """;

  private static final Issued RSA = TestCertificates.rsa("shop.example.com", KeyFormat.PKCS8);

  @Test
  void everyKeyFormatIsServedAsPkcs8() {
    for (Issued issued :
        List.of(
            RSA,
            TestCertificates.rsa("shop.example.com", KeyFormat.TRADITIONAL),
            TestCertificates.ec("shop.example.com", KeyFormat.TRADITIONAL),
            TestCertificates.ec("shop.example.com", KeyFormat.PKCS8))) {
      CompileResult result = compile(tls("shop-cert", issued.certificate(), issued.key()));
      ListenerConfig https = listener(result, "https");
      assertThat(https).as(issued.keyPem().lines().findFirst().orElseThrow()).isNotNull();
      TlsCertificate cert = https.certificates().get(0);
      assertThat(cert.secret()).isEqualTo("infra/shop-cert");
      assertThat(cert.certificateChainPem()).isEqualTo(issued.certificatePem());
      assertThat(cert.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
      assertThat(https.virtualHosts()).extracting(vh -> vh.hostname()).contains("shop.example.com");
      assertThat(condition(result, Conditions.RESOLVED_REFS).status()).isEqualTo("True");
      assertThat(condition(result, Conditions.RESOLVED_REFS).message())
          .isEqualTo("all Secret references resolved");
    }
  }

  @Test
  void aMissingSecretLeavesTheListenerOutAndSaysWhatToCreate() {
    CompileResult result = compile();
    assertRefused(result, "Secret infra/shop-cert was not found; create a Secret of type");
    assertThat(listener(result, "https")).isNull();
    assertThat(listener(result, "http")).isNotNull();
    assertThat(result.verdicts().get(route("shop")).dataPlanes()).isEmpty();
    assertThat(result.verdicts().get(route("plain")).dataPlanes()).containsExactly("infra/edge");
  }

  @Test
  void aSecretOfAnotherTypeIsRefused() {
    TlsSecret opaque =
        new TlsSecret("infra", "shop-cert", "Opaque", RSA.certificate(), RSA.key(), "u", "1");
    assertRefused(compile(opaque), "Secret infra/shop-cert has type Opaque; certificates are read");
  }

  @Test
  void unparsablePemIsRefused() {
    byte[] garbage = "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n".getBytes();
    assertRefused(
        compile(tls("shop-cert", garbage, RSA.key())),
        "tls.crt is not a valid PEM certificate chain");
    assertRefused(
        compile(tls("shop-cert", "no pem here".getBytes(), RSA.key())),
        "tls.crt holds no PEM certificate");
    assertRefused(
        compile(tls("shop-cert", RSA.certificate(), RSA.certificate())),
        "tls.key holds a X509CertificateHolder block where a private key is expected");
    assertRefused(compile(tls("shop-cert", RSA.certificate(), null)), "lacks tls.key");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedWithoutQuotingIt() {
    Issued other = TestCertificates.rsa("shop.example.com", KeyFormat.PKCS8);
    Issued ec = TestCertificates.ec("shop.example.com", KeyFormat.TRADITIONAL);
    for (byte[] key : List.of(other.key(), ec.key())) {
      CompileResult result = compile(tls("shop-cert", RSA.certificate(), key));
      assertRefused(result, "tls.key does not belong to the first certificate of tls.crt");
      String body = new String(key, StandardCharsets.US_ASCII).lines().skip(1).findFirst().get();
      assertThat(condition(result, Conditions.RESOLVED_REFS).message()).doesNotContain(body);
    }
  }

  @Test
  void oneBadCertificateAmongGoodOnesIsLeftOutAlone() {
    String objects =
        OBJECTS.replace(
            "certificateRefs: [{name: shop-cert}]",
            "certificateRefs: [{name: gone}, {name: shop-cert}]");
    CompileResult result =
        new Compiler().compile(bundle(objects, tls("shop-cert", RSA.certificate(), RSA.key())));
    assertThat(listener(result, "https").certificates())
        .extracting(TlsCertificate::secret)
        .containsExactly("infra/shop-cert");
    assertThat(condition(result, Conditions.RESOLVED_REFS).message())
        .isEqualTo(
            "listener https: Secret infra/gone was not found; create a Secret of type"
                + " kubernetes.io/tls with tls.crt and tls.key in the DataPlane's namespace");
  }

  @Test
  void aRotatedSecretGivesANewVersionAndADeltaThatApplies() throws Exception {
    Compiler compiler = new Compiler();
    Snapshot before =
        compiler
            .compile(bundle(OBJECTS, tls("shop-cert", RSA.certificate(), RSA.key())))
            .snapshots()
            .get("infra/edge");
    Issued next = TestCertificates.ec("shop.example.com", KeyFormat.PKCS8);
    Snapshot after =
        compiler
            .compile(bundle(OBJECTS, tls("shop-cert", next.certificate(), next.key())))
            .snapshots()
            .get("infra/edge");
    assertThat(after.version()).isNotEqualTo(before.version());
    Snapshot patched =
        dev.portico.compiler.SnapshotHasher.versioned(
            SnapshotPatch.apply(before, SnapshotDiff.between(before, after)));
    assertThat(patched).isEqualTo(after);
    assertThat(patched.listeners().get(1).certificates().get(0).certificateChainPem())
        .isEqualTo(next.certificatePem());
  }

  @Test
  void keysNeverShowInToStringOrRenderedOutput() throws Exception {
    CompileResult result = compile(tls("shop-cert", RSA.certificate(), RSA.key()));
    Snapshot snapshot = result.snapshots().get("infra/edge");
    String keyLine =
        snapshot
            .listeners()
            .get(1)
            .certificates()
            .get(0)
            .privateKeyPem()
            .lines()
            .skip(1)
            .findFirst()
            .get();
    assertThat(snapshot.toString()).doesNotContain(keyLine);
    assertThat(tls("shop-cert", RSA.certificate(), RSA.key()).toString()).doesNotContain("PRIVATE");
    assertThat(GoldenTest.render(result)).doesNotContain(keyLine).contains("<redacted>");
  }

  private static void assertRefused(CompileResult result, String message) {
    ConditionVerdict resolved = condition(result, Conditions.RESOLVED_REFS);
    assertThat(resolved.status()).isEqualTo("False");
    assertThat(resolved.reason()).isEqualTo("InvalidCertificateRef");
    assertThat(resolved.message())
        .contains(message)
        .contains("listener https has no usable certificate and is not served");
    assertThat(condition(result, Conditions.ACCEPTED).status()).isEqualTo("True");
    assertThat(listener(result, "https")).isNull();
  }

  private static TlsSecret tls(String name, byte[] crt, byte[] key) {
    return new TlsSecret("infra", name, TlsSecret.TYPE, crt, key, "uid-" + name, "1");
  }

  private static CompileResult compile(TlsSecret... secrets) {
    return new Compiler().compile(bundle(OBJECTS, secrets));
  }

  private static ResourceBundle bundle(String yaml, TlsSecret... secrets) {
    try {
      ResourceBundle b =
          ManifestReader.bundle(
                  new ManifestReader()
                      .parse(
                          new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test"))
              .bundle();
      return new ResourceBundle(
          b.dataPlanes(),
          b.routes(),
          b.rateLimitPolicies(),
          b.services(),
          b.namespaces(),
          b.referenceGrants(),
          Arrays.asList(secrets),
          List.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ListenerConfig listener(CompileResult result, String name) {
    return result.snapshots().get("infra/edge").listeners().stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static ConditionVerdict condition(CompileResult result, String type) {
    return result.verdicts().get(new ObjectKey("DataPlane", "infra", "edge")).conditions().stream()
        .filter(c -> c.type().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static ObjectKey route(String name) {
    return new ObjectKey("GatewayRoute", "shop", name);
  }
}
