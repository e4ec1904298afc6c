package dev.portico.e2e.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kube-apiserver, kube-controller-manager, kubectl and etcd binaries, built (first run, about
 * 14 min) or reused (cached, instant) by {@code e2e/control-plane/build.sh}.
 */
final class ControlPlaneBinaries {
  /** A first build on 2 cores takes about 14 minutes; leave room for a slow machine. */
  private static final long BUILD_TIMEOUT_MINUTES = 35;

  final Path dir;

  private ControlPlaneBinaries(Path dir) {
    this.dir = dir;
  }

  Path etcd() {
    return dir.resolve("etcd");
  }

  Path kubeApiserver() {
    return dir.resolve("kube-apiserver");
  }

  Path kubeControllerManager() {
    return dir.resolve("kube-controller-manager");
  }

  Path kubectl() {
    return dir.resolve("kubectl");
  }

  /** Runs build.sh and takes the last stdout line as the bin directory. */
  static ControlPlaneBinaries buildOrReuse() {
    Path script = Project.controlPlaneBuildScript();
    ControlPlaneBinaries binaries =
        new ControlPlaneBinaries(Path.of(BuildScript.lastLine(script, BUILD_TIMEOUT_MINUTES)));
    for (Path binary :
        List.of(
            binaries.etcd(),
            binaries.kubeApiserver(),
            binaries.kubeControllerManager(),
            binaries.kubectl())) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            script + " reported " + binaries.dir + " but " + binary + " is missing");
      }
    }
    return binaries;
  }
}
