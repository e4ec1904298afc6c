package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server itself refuses invalid Portico objects, with a message that names the field, so
 * `kubectl apply` and GitOps tools fail at once instead of the operator finding the mistake later.
 * Fixtures: {@code src/test/resources/admission/{valid,invalid}/*.yaml}.
 */
@KubeE2E
class AdmissionE2ETest {

  static Stream<AdmissionCase> invalidObjects() {
    return AdmissionCase.load("invalid");
  }

  static Stream<AdmissionCase> validObjects() {
    return AdmissionCase.load("valid");
  }

  @Test
  void fixturesCoverEveryKindWithEnoughCases() {
    List<AdmissionCase> invalid = invalidObjects().toList();
    assertThat(invalid).hasSizeGreaterThanOrEqualTo(15);
    assertThat(invalid)
        .extracting(c -> c.object().getKind())
        .contains("DataPlane", "GatewayRoute", "RateLimitPolicy");
    assertThat(invalid).allSatisfy(c -> assertThat(c.expectations()).as(c.file()).isNotEmpty());
    assertThat(validObjects().map(c -> c.object().getKind()))
        .containsExactlyInAnyOrder("DataPlane", "GatewayRoute", "RateLimitPolicy");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void refusedWithAMessageThatNamesTheField(
      AdmissionCase fixture, KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource object = fixture.object();

    KubernetesClientException refusal =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> client.resource(object).inNamespace(ns.name()).create());

    assertThat(refusal).as("%s was admitted", fixture.file()).isNotNull();
    assertThat(refusal.getCode()).as(refusal.getMessage()).isEqualTo(422);
    String message = refusal.getStatus().getMessage();
    assertThat(message)
        .startsWith(
            object.getKind()
                + ".portico.dev \""
                + object.getMetadata().getName()
                + "\" is invalid: ");
    for (String expected : fixture.expectations()) {
      assertThat(message).contains(expected);
    }
    assertThat(client.resource(object).inNamespace(ns.name()).get()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validObjects")
  void validObjectIsAdmittedWithNothingPruned(
      AdmissionCase fixture, KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource sent = fixture.object();

    GenericKubernetesResource stored = client.resource(sent).inNamespace(ns.name()).create();

    // A field the schema does not know is pruned silently on create; everything sent must be
    // stored (the server may add defaults).
    assertContains(
        "spec",
        stored.getAdditionalProperties().get("spec"),
        sent.getAdditionalProperties().get("spec"));
  }

  @Test
  void schemaDefaultsAreApplied(KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource stored =
        client
            .resource(
                Serialization.unmarshal(
                    """
                    apiVersion: portico.dev/v1alpha1
                    kind: GatewayRoute
                    metadata: {name: defaults}
                    spec:
                      parentRefs: [{name: public}]
                      rules:
                        - matches: [{path: {}}]
                          backends: [{name: shop, port: 80}]
                    """,
                    GenericKubernetesResource.class))
            .inNamespace(ns.name())
            .create();

    Map<String, Object> rule = firstOf(map(stored.getAdditionalProperties().get("spec")), "rules");
    Map<String, Object> path = map(firstOf(rule, "matches").get("path"));
    assertThat(path).containsEntry("type", "PathPrefix").containsEntry("value", "/");
    assertThat(firstOf(rule, "backends")).containsEntry("weight", 1);
  }

  /** Every key and list element of {@code expected} is in {@code actual}, recursively. */
  private static void assertContains(String path, Object actual, Object expected) {
    if (expected instanceof Map<?, ?> expectedMap) {
      assertThat(actual).as(path).isInstanceOf(Map.class);
      Map<?, ?> actualMap = (Map<?, ?>) actual;
      expectedMap.forEach(
          (key, value) -> {
            assertThat(actualMap.containsKey(key))
                .as("%s: field %s was pruned", path, key)
                .isTrue();
            assertContains(path + "." + key, actualMap.get(key), value);
          });
    } else if (expected instanceof List<?> expectedList) {
      assertThat(actual).as(path).isInstanceOf(List.class);
      List<?> actualList = (List<?>) actual;
      assertThat(actualList).as(path).hasSameSizeAs(expectedList);
      for (int i = 0; i < expectedList.size(); i++) {
        assertContains(path + "[" + i + "]", actualList.get(i), expectedList.get(i));
      }
    } else {
      assertThat(Objects.toString(actual)).as(path).isEqualTo(Objects.toString(expected));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static Map<String, Object> firstOf(Map<String, Object> parent, String listField) {
    return map(((List<?>) parent.get(listField)).get(0));
  }
}
