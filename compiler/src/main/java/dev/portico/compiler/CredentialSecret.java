package dev.portico.compiler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Secret labelled {@value #LABEL} (any value), reduced to its values as text: credentials a
 * DataPlane refers to, such as its Redis password. Only labelled Secrets are read, in the cluster
 * (the operator's informer selects on the label) and from files alike, so {@code translate} gives
 * the verdict the cluster would. {@link #toString()} never shows a value.
 *
 * @param values decoded values by key; {@code stringData} wins over {@code data}, as on the API
 *     server
 */
public record CredentialSecret(String namespace, String name, Map<String, String> values) {
  /** The label that makes a Secret readable by Portico. */
  public static final String LABEL = "portico.dev/credential";

  public CredentialSecret {
    values = Map.copyOf(values);
  }

  /** Whether {@code secret} carries {@value #LABEL}. */
  public static boolean labelled(Secret secret) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    return labels != null && labels.containsKey(LABEL);
  }

  /**
   * @throws IllegalArgumentException when a {@code data} value is not base64
   */
  public static CredentialSecret of(Secret secret) {
    ObjectMeta m = secret.getMetadata();
    Map<String, String> values = new TreeMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(
                      k,
                      new String(
                          Base64.getMimeDecoder().decode(v == null ? "" : v),
                          StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> values.put(k, v == null ? "" : v));
    }
    return new CredentialSecret(m.getNamespace(), m.getName(), values);
  }

  /** {@code namespace/name}. */
  public String id() {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  @Override
  public String toString() {
    return "CredentialSecret[" + id() + ", keys=" + new TreeMap<>(values).keySet() + "]";
  }
}
