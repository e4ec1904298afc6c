package dev.portico.compiler;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;

/** Identifies one input object: {@code Kind/namespace/name}. */
public record ObjectKey(String kind, String namespace, String name)
    implements Comparable<ObjectKey> {
  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::kind)
          .thenComparing(ObjectKey::namespace)
          .thenComparing(ObjectKey::name);

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
    return ORDER.compare(this, o);
  }
}
