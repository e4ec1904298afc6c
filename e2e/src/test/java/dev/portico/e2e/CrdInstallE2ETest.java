package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.e2e.cluster.CrdInstaller;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Project;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated CRDs in crds/ install on a real API server, exactly as written. */
@KubeE2E
class CrdInstallE2ETest {

  static Stream<Arguments> porticoKinds() {
    return Stream.of(
        Arguments.of("dataplanes.portico.dev", "DataPlane", "dataplane", "dp"),
        Arguments.of("gatewayroutes.portico.dev", "GatewayRoute", "gatewayroute", "gwr"),
        Arguments.of("ratelimitpolicies.portico.dev", "RateLimitPolicy", "ratelimitpolicy", "rlp"));
  }

  @Test
  void everyCrdInCrdsDirInstallsAndBecomesEstablished(KubernetesClient client) {
    List<Path> files = Project.porticoCrds();
    assertThat(files).as("crds/*.portico.dev.yaml").hasSize(3);

    // Applying again is what an upgrade does; it must be accepted and stay Established.
    List<String> applied = CrdInstaller.install(client, files, false);

    assertThat(applied)
        .containsExactlyInAnyOrder(
            "dataplanes.portico.dev", "gatewayroutes.portico.dev", "ratelimitpolicies.portico.dev");
    for (String name : applied) {
      CustomResourceDefinition crd = crd(client, name);
      assertThat(CrdInstaller.condition(crd, "Established")).as("%s Established", name).isPresent();
      assertThat(CrdInstaller.condition(crd, "NamesAccepted"))
          .as("%s NamesAccepted", name)
          .isPresent();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("porticoKinds")
  void namesCategoriesAndStatusSubresource(
      String name, String kind, String singular, String shortName, KubernetesClient client) {
    CustomResourceDefinition crd = crd(client, name);

    assertThat(crd.getSpec().getGroup()).isEqualTo("portico.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    CustomResourceDefinitionNames accepted = crd.getStatus().getAcceptedNames();
    assertThat(accepted.getKind()).isEqualTo(kind);
    assertThat(accepted.getSingular()).isEqualTo(singular);
    assertThat(accepted.getPlural()).isEqualTo(name.substring(0, name.indexOf('.')));
    assertThat(accepted.getShortNames()).containsExactly(shortName);
    assertThat(accepted.getCategories()).containsExactly("portico");

    assertThat(crd.getSpec().getVersions()).hasSize(1);
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
    assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
    assertThat(version.getAdditionalPrinterColumns()).extracting("name").contains("Age");
  }

  static Stream<String> porticoCrdNames() {
    return porticoKinds().map(args -> (String) args.get()[0]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("porticoCrdNames")
  void apiServerKeepsTheSchemaAsWritten(String name, KubernetesClient client) {
    // The API server silently drops schema keys it does not know (a misspelt
    // x-kubernetes-validations would vanish): the stored schema must equal the file's.
    CustomResourceDefinition file =
        CrdInstaller.load(Project.root().resolve("crds").resolve(name + ".yaml"));
    CustomResourceDefinitionVersion stored = crd(client, name).getSpec().getVersions().get(0);
    CustomResourceDefinitionVersion written = file.getSpec().getVersions().get(0);

    assertThat(stored.getSchema()).isEqualTo(written.getSchema());
    // priority 0 is the default, which the server omits
    assertThat(columns(stored)).isEqualTo(columns(written));
  }

  private static List<String> columns(CustomResourceDefinitionVersion version) {
    return version.getAdditionalPrinterColumns().stream()
        .map(
            c ->
                String.join(
                    " ",
                    c.getName(),
                    c.getJsonPath(),
                    c.getType(),
                    String.valueOf(c.getPriority() == null ? 0 : c.getPriority())))
        .toList();
  }

  private static CustomResourceDefinition crd(KubernetesClient client, String name) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    assertThat(crd).as("CRD %s", name).isNotNull();
    return crd;
  }
}
