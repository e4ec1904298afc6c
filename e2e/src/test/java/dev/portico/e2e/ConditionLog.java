package dev.portico.e2e;

import static dev.portico.e2e.OperatorFixture.condition;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** Records every distinct Programmed condition an object shows while it is open. */
final class ConditionLog implements AutoCloseable {
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private Watch watch;

  static ConditionLog route(KubernetesClient client, TestNamespace ns, String name) {
    ConditionLog log = new ConditionLog();
    log.watch =
        client
            .resources(GatewayRoute.class)
            .inNamespace(ns.name())
            .withName(name)
            .watch(log.watcher(r -> r.getStatus() == null ? null : r.getStatus().conditions));
    return log;
  }

  static ConditionLog dataPlane(KubernetesClient client, TestNamespace ns, String name) {
    ConditionLog log = new ConditionLog();
    log.watch =
        client
            .resources(DataPlane.class)
            .inNamespace(ns.name())
            .withName(name)
            .watch(log.watcher(d -> d.getStatus() == null ? null : d.getStatus().conditions));
    return log;
  }

  private <T extends HasMetadata> Watcher<T> watcher(Function<T, List<Condition>> conditions) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        Condition c = condition(conditions.apply(resource), "Programmed");
        if (c == null) {
          return;
        }
        String entry = c.getStatus() + "/" + c.getReason() + ": " + c.getMessage();
        synchronized (seen) {
          if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) {
            seen.add(entry);
          }
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  List<String> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
