package dev.portico.operator.reconcile;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers what each DataPlane's workloads were last reconciled from: the DataPlane's generation,
 * labels and annotations, and the resourceVersion of every workload object in the informer caches.
 * When none of them moved since, the workloads are as they were left and the reconcile skips them.
 *
 * <p>Most DataPlane reconciles come from compiles (a new snapshot version, a replica's answer),
 * which change only status. Building and matching each workload's desired object for those took
 * half of the reconcilers' CPU per new route at 5,000 routes ({@code bench/propagation.sh}).
 * Anything that can change a desired object (a spec, label or annotation edit) or an actual one (an
 * edit, a deletion, a status change of a workload) changes the fingerprint, so drift is still
 * corrected.
 */
final class WorkloadMemo {
  private final List<Class<? extends HasMetadata>> types;
  private final Map<String, String> reconciled = new ConcurrentHashMap<>();

  /**
   * @param types the workload kinds the reconciler manages, each with one event source
   */
  WorkloadMemo(List<Class<? extends HasMetadata>> types) {
    this.types = List.copyOf(types);
  }

  /**
   * What the caches hold now for the DataPlane and its workloads. Taken before a pass reads them,
   * so that a change arriving during the pass is not recorded as seen: at worst it costs one more
   * pass, never a missed one.
   */
  String fingerprint(DataPlane dp, Context<DataPlane> context) {
    StringBuilder out =
        new StringBuilder()
            .append(dp.getMetadata().getGeneration())
            .append('/')
            .append(sorted(dp.getMetadata().getLabels()))
            .append('/')
            .append(sorted(dp.getMetadata().getAnnotations()));
    for (Class<? extends HasMetadata> type : types) {
      out.append('/').append(type.getSimpleName()).append(':');
      context.getSecondaryResources(type).stream()
          .map(r -> r.getMetadata().getUid() + "@" + r.getMetadata().getResourceVersion())
          .sorted()
          .forEach(version -> out.append(version).append(','));
    }
    return out.toString();
  }

  /** Whether the last pass that succeeded started from this fingerprint. */
  boolean unchanged(DataPlane dp, String fingerprint) {
    return fingerprint.equals(reconciled.get(uid(dp)));
  }

  /** Records a pass over every workload that succeeded, from {@code fingerprint}. */
  void reconciled(DataPlane dp, String fingerprint) {
    reconciled.put(uid(dp), fingerprint);
  }

  void forget(DataPlane dp) {
    reconciled.remove(uid(dp));
  }

  /** The map itself rather than its hash: two fingerprints are equal only when the maps are. */
  private static Map<String, String> sorted(Map<String, String> map) {
    return map == null ? Map.of() : new TreeMap<>(map);
  }

  private static String uid(DataPlane dp) {
    return dp.getMetadata().getUid() != null
        ? dp.getMetadata().getUid()
        : dp.getMetadata().getNamespace() + "/" + dp.getMetadata().getName();
  }
}
