package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** TLS termination for an HTTPS listener. */
public class ListenerTls {
  @JsonPropertyDescription(
      "kubernetes.io/tls Secrets holding certificate and key, in the DataPlane's namespace."
          + " With several, the data plane picks one by SNI.")
  @Required
  @Size(min = 1, max = 8)
  public List<SecretRef> certificateRefs = new ArrayList<>();
}
