package dev.portico.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkloadNamesTest {
  @Test
  void shortNamesStayReadable() {
    assertThat(WorkloadNames.bounded("portico-public", 63)).isEqualTo("portico-public");
  }

  @Test
  void longNamesAreCutWithAHashSoTheyStayUniqueAndValid() {
    String a = WorkloadNames.bounded("portico-" + "a".repeat(70) + "-x", 63);
    String b = WorkloadNames.bounded("portico-" + "a".repeat(70) + "-y", 63);
    assertThat(a).hasSize(63).isNotEqualTo(b).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void lastGoodNamesAreAShortHashOfTheDataPlaneSoNamespacesCannotCollide() {
    String a = WorkloadNames.lastGood("team-a/edge");
    assertThat(a)
        .matches("portico-lkg-[0-9a-f]{10}")
        .isEqualTo(WorkloadNames.lastGood("team-a/edge"));
    assertThat(a).isNotEqualTo(WorkloadNames.lastGood("team-b/edge"));
    // Chunk names stay valid DNS subdomain names whatever the DataPlane is called.
    assertThat(a + "-7").hasSizeLessThan(64);
  }
}
