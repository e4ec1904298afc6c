package dev.portico.operator.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.dataplane.ListenerTls;
import dev.portico.api.dataplane.SecretRef;
import dev.portico.api.route.GatewayRoute;
import dev.portico.api.security.SecurityPolicy;
import dev.portico.compiler.CredentialSecret;
import dev.portico.compiler.TlsSecret;
import dev.portico.operator.Await;
import dev.portico.operator.Fixtures;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Certificate Secrets in the index: only those a DataPlane names are bundled or compiled for. */
@EnableKubernetesMockClient(crud = true)
class ResourceIndexTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  KubernetesClient client;

  @Test
  void onlyReferencedTlsSecretsAreBundledAndTriggerCompiles() throws Exception {
    client.namespaces().resource(Fixtures.namespace("infra")).create();
    DataPlane dp = Fixtures.dataPlane("infra", "edge", 1);
    Listener https = new Listener();
    https.name = "https";
    https.port = 8443;
    https.protocol = Listener.Protocol.HTTPS;
    https.tls = new ListenerTls();
    SecretRef ref = new SecretRef();
    ref.name = "edge-cert";
    https.tls.certificateRefs.add(ref);
    dp.getSpec().listeners.add(https);
    client.resource(dp).create();
    client.resource(tls("edge-cert", "one")).create();
    client.resource(tls("unrelated-cert", "one")).create();

    AtomicInteger compiles = new AtomicInteger();
    try (ResourceIndex index = new ResourceIndex(client, Set.of(), compiles::incrementAndGet)) {
      index.start();
      assertThat(index.bundle().tlsSecrets())
          .extracting(TlsSecret::id)
          .containsExactly("infra/edge-cert");
      assertThat(new String(index.bundle().tlsSecrets().get(0).certificate())).isEqualTo("one");

      client.resource(tls("unrelated-cert", "two")).update();
      client.resource(tls("edge-cert", "two")).update();
      Await.until("a compile for edge-cert", WAIT, compiles::get, n -> n >= 1);
      Await.until(
          "the rotated Secret bundled",
          WAIT,
          () -> new String(index.bundle().tlsSecrets().get(0).certificate()),
          "two"::equals);
      assertThat(compiles.get()).as("the unrelated Secret scheduled no compile").isEqualTo(1);
    }
  }

  @Test
  void credentialSecretsAreBundledWhileSomeRouteNamesThem() throws Exception {
    client.namespaces().resource(Fixtures.namespace("shop")).create();
    client.resource(credential("keys")).create();
    client.resource(credential("other")).create();
    client.resource(keyedRoute("catalog", "keys")).create();

    try (ResourceIndex index = new ResourceIndex(client, Set.of(), () -> {})) {
      index.start();
      assertThat(index.bundle().credentialSecrets())
          .extracting(CredentialSecret::name)
          .containsExactly("keys");

      client.resource(keyedRoute("reviews", "other")).create();
      Await.until(
          "the Secret of a new route bundled",
          WAIT,
          () -> index.bundle().credentialSecrets().size(),
          n -> n == 2);

      client.resource(Fixtures.route("shop", "catalog", "edge", "/catalog", "app")).update();
      client.resources(GatewayRoute.class).inNamespace("shop").withName("reviews").delete();
      Await.until(
          "Secrets no route names any more left out",
          WAIT,
          () -> index.bundle().credentialSecrets().size(),
          n -> n == 0);
    }
  }

  private static GatewayRoute keyedRoute(String name, String secret) {
    GatewayRoute route = Fixtures.route("shop", name, "edge", "/" + name, "app");
    route.getSpec().rules.get(0).security =
        Serialization.unmarshal(
            "apiKey: {secretRefs: [{name: %s}]}".formatted(secret), SecurityPolicy.class);
    return route;
  }

  private static Secret credential(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("shop")
        .addToLabels(CredentialSecret.LABEL, "true")
        .endMetadata()
        .withStringData(Map.of("alice", "alice-key-0123456789"))
        .build();
  }

  private static Secret tls(String name, String crt) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("infra")
        .endMetadata()
        .withType(TlsSecret.TYPE)
        .withStringData(Map.of("tls.crt", crt, "tls.key", "key"))
        .build();
  }
}
