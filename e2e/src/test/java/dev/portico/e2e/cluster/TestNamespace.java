package dev.portico.e2e.cluster;

/**
 * The namespace {@link KubeControlPlaneExtension} created for the current test: empty at the start,
 * deleted after it, so tests never see each other's objects.
 */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
