package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Names and labels of the objects the operator runs for a DataPlane. */
public final class WorkloadNames {
  private WorkloadNames() {}

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "portico-operator";
  public static final String DATAPLANE_LABEL = "portico.dev/dataplane";

  /** Bound to every data-plane ServiceAccount; installed with the operator (manifests/). */
  public static final String DATAPLANE_CLUSTER_ROLE = "portico-dataplane";

  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** Deployment, Service, ServiceAccount and PodDisruptionBudget: in the DataPlane's namespace. */
  public static String workload(DataPlane dp) {
    return workload(dp.getMetadata().getName());
  }

  public static String workload(String dataPlaneName) {
    return bounded("portico-" + dataPlaneName, 63);
  }

  /** The ConfigMap with the snapshot channel's CA certificate. */
  public static String channelConfig(DataPlane dp) {
    return bounded("portico-" + dp.getMetadata().getName() + "-channel", 253);
  }

  /** ClusterRoleBindings are cluster-wide, so the namespace is part of the name. */
  public static String clusterRoleBinding(DataPlane dp) {
    return bounded(
        "portico-dataplane-" + dp.getMetadata().getNamespace() + "-" + dp.getMetadata().getName(),
        253);
  }

  /**
   * The last known good snapshot's Secrets ({@code <this>-0} to {@code -7}), and the Role and
   * RoleBinding that let the DataPlane's pods read them: in the operator's namespace, where
   * DataPlanes of every namespace meet, so the name is a hash of {@code namespace/name}.
   */
  public static String lastGood(DataPlane dp) {
    return lastGood(dp.getMetadata().getNamespace() + "/" + dp.getMetadata().getName());
  }

  /**
   * @param dataPlane {@code namespace/name}
   */
  public static String lastGood(String dataPlane) {
    return "portico-lkg-" + sha256(dataPlane).substring(0, 10);
  }

  /**
   * Selects the DataPlane's pods; stable for the DataPlane's lifetime (selectors are immutable).
   */
  public static Map<String, String> selector(DataPlane dp) {
    return Map.of(
        "app.kubernetes.io/name",
        "portico-dataplane",
        DATAPLANE_LABEL,
        bounded(dp.getMetadata().getName(), 63));
  }

  public static Map<String, String> labels(DataPlane dp) {
    return Map.of(
        "app.kubernetes.io/name",
        "portico-dataplane",
        "app.kubernetes.io/part-of",
        "portico",
        MANAGED_BY,
        OPERATOR,
        DATAPLANE_LABEL,
        bounded(dp.getMetadata().getName(), 63));
  }

  /** Long names keep a readable prefix and get a hash suffix, so two never collide. */
  static String bounded(String name, int max) {
    if (name.length() <= max) {
      return name;
    }
    String hash = sha256(name).substring(0, 10);
    String prefix = name.substring(0, max - hash.length() - 1);
    while (prefix.endsWith("-") || prefix.endsWith(".")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + "-" + hash;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
