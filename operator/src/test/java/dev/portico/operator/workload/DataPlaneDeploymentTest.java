package dev.portico.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * The desired Deployment spells out what the API server would otherwise default in the fields the
 * operator owns: JOSDK compares desired with actual on every DataPlane reconcile (every replica ack
 * triggers one), and a defaulted field missing from desired reads as drift and re-applies the
 * Deployment each time (the propagation benchmark counted two applies per route edit).
 */
class DataPlaneDeploymentTest {
  @Test
  void theDownwardApiFieldRefNamesItsApiVersion() {
    DataPlane dp =
        Serialization.unmarshal(
            """
            apiVersion: portico.dev/v1alpha1
            kind: DataPlane
            metadata: {name: edge, namespace: team-a, uid: u1}
            spec:
              listeners: [{name: http, port: 8080}]
            """,
            DataPlane.class);
    Deployment d =
        new DataPlaneDeployment("portico/dataplane:test", "https://operator:9090", null)
            .desired(dp, null);
    EnvVar podName =
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("POD_NAME"))
            .findFirst()
            .orElseThrow();
    assertThat(podName.getValueFrom().getFieldRef().getApiVersion()).isEqualTo("v1");
  }
}
