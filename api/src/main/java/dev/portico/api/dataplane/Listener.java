package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One port of a DataPlane, with its protocol, optional TLS and optional hostname restriction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.protocol == 'HTTPS' ? has(self.tls) : !has(self.tls)",
    message = "tls is required for protocol HTTPS and not allowed for protocol HTTP")
public class Listener {
  /** Admission pattern for a hostname that may start with a single {@code *.} wildcard label. */
  public static final String HOSTNAME_PATTERN =
      "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** Admission pattern for a DNS-1123 label, used for names that appear in references. */
  public static final String DNS_LABEL_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @JsonPropertyDescription("Listener name, referenced by GatewayRoute parentRefs[].listenerName.")
  @Required
  @Size(min = 1, max = 63)
  @Pattern(DNS_LABEL_PATTERN)
  public String name;

  @JsonPropertyDescription("Port the data plane listens on.")
  @Required
  @Min(1)
  @Max(65535)
  public Integer port;

  @JsonPropertyDescription("HTTP (cleartext HTTP/1.1 and h2c) or HTTPS (TLS, HTTP/1.1 and h2).")
  @Default("HTTP")
  public Protocol protocol = Protocol.HTTP;

  @JsonPropertyDescription(
      "Only routes whose hostnames intersect this one attach to the listener. A leading"
          + " '*.' label matches any one or more labels. Empty means any hostname.")
  @Size(max = 253)
  @Pattern(HOSTNAME_PATTERN)
  public String hostname;

  @JsonPropertyDescription("TLS settings; required for HTTPS listeners.")
  public ListenerTls tls;

  /** Wire protocol of a listener. */
  public enum Protocol {
    HTTP,
    HTTPS
  }
}
