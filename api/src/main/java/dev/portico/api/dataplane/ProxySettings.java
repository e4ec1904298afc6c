package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.Duration;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Request handling every route of a DataPlane shares: limits, client-address trust and defaults.
 * Admins set them; a route cannot loosen them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySettings {
  @JsonPropertyDescription(
      "Number of trusted proxies (load balancers) in front of the data plane. The client address"
          + " is taken from X-Forwarded-For this many hops from the right; 0 uses the TCP peer"
          + " and ignores X-Forwarded-For.")
  @Default("0")
  @Min(0)
  @Max(10)
  public Integer trustedHops = 0;

  @JsonPropertyDescription(
      "Encoded '/' or '\\' (%2F, %5C) in a path: Reject answers 400; KeepEncoded treats them as"
          + " ordinary characters of a segment.")
  @Default("Reject")
  public EncodedSlashes encodedSlashes = EncodedSlashes.Reject;

  @JsonPropertyDescription(
      "Whether to send the client's Host header to backends (else the Service's name).")
  @Default("true")
  public Boolean preserveHost = true;

  @JsonPropertyDescription("Largest request header block in bytes; larger gets 431.")
  @Default("32768")
  @Min(1024)
  @Max(1048576)
  public Integer maxHeaderBytes = 32768;

  @JsonPropertyDescription("Most request headers; more gets 431.")
  @Default("100")
  @Min(8)
  @Max(1000)
  public Integer maxHeaderCount = 100;

  @JsonPropertyDescription("Longest request target (path and query) in bytes; longer gets 414.")
  @Default("8192")
  @Min(256)
  @Max(65536)
  public Integer maxUriLength = 8192;

  @JsonPropertyDescription("Largest request body in bytes; larger gets 413. 0 means no limit.")
  @Default("10485760")
  @Min(0)
  @Max(10737418240L)
  public Long maxBodyBytes = 10_485_760L;

  @JsonPropertyDescription("Time to receive the request headers; slower clients are disconnected.")
  @Default("10s")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String requestHeaderTimeout = "10s";

  @JsonPropertyDescription(
      "An idle keep-alive connection (client or backend) is closed after this.")
  @Default("60s")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String idleTimeout = "60s";

  @JsonPropertyDescription("Default backend connect timeout for rules that set none.")
  @Default("2s")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String connectTimeout = "2s";

  @JsonPropertyDescription(
      "Default time for a backend to send response headers, for rules that set none.")
  @Default("30s")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String backendRequestTimeout = "30s";

  /** Encoded slash policy. */
  public enum EncodedSlashes {
    Reject,
    KeepEncoded
  }
}
