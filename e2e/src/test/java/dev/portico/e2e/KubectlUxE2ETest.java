package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What people see in kubectl: printer columns, the portico category, short names, explain. */
@KubeE2E
class KubectlUxE2ETest {
  private static final Duration OPENAPI_TIMEOUT = Duration.ofSeconds(30);

  @BeforeEach
  void createOneObjectOfEachKind(KubernetesClient client, TestNamespace ns) {
    // public (DataPlane), shop (GatewayRoute), orders-limits (RateLimitPolicy)
    AdmissionCase.load("valid")
        .forEach(fixture -> client.resource(fixture.object()).inNamespace(ns.name()).create());
  }

  @Test
  void getGatewayRoutesShowsThePrinterColumns(Kubectl kubectl, TestNamespace ns) {
    Kubectl.Result get = kubectl.run("get", "gatewayroutes", "-n", ns.name());

    assertThat(get.exitCode()).as(get.transcript()).isZero();
    List<String> lines = get.stdout().lines().toList();
    assertThat(lines).as(get.transcript()).hasSize(2);
    List<String> header = Arrays.asList(lines.get(0).trim().split("\\s+"));
    assertThat(header)
        .as(get.transcript())
        .containsSubsequence("NAME", "HOSTNAMES", "PARENT", "ACCEPTED", "PROGRAMMED")
        .contains("AGE");
    assertThat(lines.get(1))
        .as(get.transcript())
        .startsWith("shop ")
        .contains("shop.example.com")
        .contains("public");
  }

  @Test
  void getDataPlanesShowsListenerPorts(Kubectl kubectl, TestNamespace ns) {
    Kubectl.Result get = kubectl.run("get", "dataplanes", "-n", ns.name());

    assertThat(get.exitCode()).as(get.transcript()).isZero();
    List<String> lines = get.stdout().lines().toList();
    assertThat(lines.get(0))
        .as(get.transcript())
        .contains("LISTENERS", "READY", "REPLICAS", "ROUTES", "AGE");
    // The API server prints only the first match of a [*] column path (kubernetes#67268), so
    // LISTENERS shows the first port (8080), not 8080,8443.
    assertThat(lines.get(1).trim().split("\\s+")).as(get.transcript()).contains("public", "8080");
  }

  @Test
  void porticoCategoryListsAllThreeKinds(Kubectl kubectl, TestNamespace ns) {
    Kubectl.Result get = kubectl.run("get", "portico", "-n", ns.name(), "-o", "name");

    assertThat(get.exitCode()).as(get.transcript()).isZero();
    assertThat(get.stdout().lines())
        .as(get.transcript())
        .containsExactlyInAnyOrder(
            "dataplane.portico.dev/public",
            "gatewayroute.portico.dev/shop",
            "ratelimitpolicy.portico.dev/orders-limits");
  }

  @ParameterizedTest(name = "kubectl get {0}")
  @CsvSource({
    "dp, dataplane.portico.dev/public",
    "gwr, gatewayroute.portico.dev/shop",
    "rlp, ratelimitpolicy.portico.dev/orders-limits"
  })
  void shortNamesWork(String shortName, String expected, Kubectl kubectl, TestNamespace ns) {
    Kubectl.Result get = kubectl.run("get", shortName, "-n", ns.name(), "-o", "name");

    assertThat(get.exitCode()).as(get.transcript()).isZero();
    assertThat(get.stdout().lines()).as(get.transcript()).containsExactly(expected);
  }

  @Test
  void explainShowsFieldDescriptions(Kubectl kubectl) {
    Kubectl.Result explain = explain(kubectl, "gatewayroute.spec");

    assertThat(explain.stdout())
        .as(explain.transcript())
        .contains("KIND:", "GatewayRoute", "portico.dev")
        .contains("Desired routing: parent DataPlanes, hostnames and rules")
        .contains("hostnames", "Hostnames this route serves")
        .contains("parentRefs", "-required-")
        .contains("rules", "Rules, each with matches, filters and one action");
  }

  @Test
  void explainShowsNestedFieldsAndEnums(Kubectl kubectl) {
    Kubectl.Result explain = explain(kubectl, "dataplane.spec.listeners.protocol");

    assertThat(explain.stdout())
        .as(explain.transcript())
        .contains("HTTP (cleartext HTTP/1.1 and h2c) or HTTPS")
        .contains("ENUM:", "HTTPS");
  }

  /** kubectl explain reads the OpenAPI v3 document, which can lag a fresh CRD by a moment. */
  private static Kubectl.Result explain(Kubectl kubectl, String field) {
    AtomicReference<Kubectl.Result> last = new AtomicReference<>();
    Poll.until(
        "kubectl explain " + field,
        OPENAPI_TIMEOUT,
        () -> {
          last.set(kubectl.run("explain", field));
          return last.get().exitCode() == 0;
        },
        () -> {},
        () -> last.get() == null ? "" : last.get().transcript());
    return last.get();
  }
}
