package dev.portico.compiler;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identifies one input object: {@code Kind/namespace/name}. */
public record ObjectKey(String kind, String namespace, String name)
    implements Comparable<ObjectKey> {
  public static ObjectKey of(String kind, HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return new ObjectKey(kind, ns == null ? "" : ns, object.getMetadata().getName());
  }

  /** {@code namespace/name}, the form snapshots and messages use. */
  public String namespacedName() {
    return namespace + "/" + name;
  }

  @Override
  @JsonValue
  public String toString() {
    return kind + "/" + namespace + "/" + name;
  }

  @Override
  public int compareTo(ObjectKey o) {
    // By hand rather than a Comparator chain: every compile sorts thousands of keys.
    int c = kind.compareTo(o.kind);
    if (c == 0) {
      c = namespace.compareTo(o.namespace);
    }
    return c != 0 ? c : name.compareTo(o.name);
  }
}
