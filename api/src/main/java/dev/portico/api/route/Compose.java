package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.Duration;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule action that calls several backends and answers one JSON document merged from their
 * responses (response aggregation, backends-for-frontends). docs/composition.md has the details.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "self.parts.all(p, self.parts.exists_one(q, q.name == p.name))",
    message = "part names must be unique")
@ValidationRule(
    value =
        "self.parts.all(p, !has(p.dependsOn) || p.dependsOn.all(d, self.parts.exists(q, q.name"
            + " == d)))",
    message = "dependsOn must name parts of this composition")
@ValidationRule(
    value = "self.parts.filter(p, has(p.bodyPassThrough) && p.bodyPassThrough).size() <= 1",
    message = "at most one part may have bodyPassThrough")
public class Compose {
  /** A JSON pointer (RFC 6901) to a member below the root. */
  public static final String POINTER_PATTERN = "^(/([^~/]|~[01])*)+$";

  /** Headers the gateway owns in part requests; an allow list cannot let the client set them. */
  static final String OWNED_HEADERS =
      "['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded',"
          + " 'x-request-id', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer',"
          + " 'upgrade', 'proxy-connection', 'content-length', 'expect']";

  @JsonPropertyDescription("The backend calls, at most 16; the response is merged in this order.")
  @Required
  @Size(min = 1, max = 16)
  public List<ComposePart> parts = new ArrayList<>();

  @JsonPropertyDescription(
      "Time for the whole composition. Unfinished optional parts are left out when it expires;"
          + " an unfinished required part answers 504. Default 10s.")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String deadline;

  @JsonPropertyDescription("Part requests in flight at once for one client request. Default 8.")
  @Min(1)
  @Max(16)
  public Integer maxConcurrency;

  @JsonPropertyDescription(
      "Largest part response accepted, in bytes after gzip decoding; a larger one fails the"
          + " part (502 when required). Default 1 MiB.")
  @Min(1)
  @Max(67108864)
  public Integer maxPartBytes;

  @JsonPropertyDescription("Largest merged response, in bytes; larger is 502. Default 4 MiB.")
  @Min(1)
  @Max(67108864)
  public Integer maxResponseBytes;

  @JsonPropertyDescription(
      "Largest client request body, in bytes, buffered for the bodyPassThrough part; larger is"
          + " 413. Default 1 MiB.")
  @Min(0)
  @Max(67108864)
  public Integer maxRequestBytes;

  @JsonPropertyDescription(
      "When two parts put an array at the same place: Replace keeps the later part's (in"
          + " declaration order), Merge concatenates them. Objects are always merged member by"
          + " member; other values are replaced.")
  @Default("Replace")
  public ArrayMerge arrays;

  @JsonPropertyDescription(
      "Client request headers copied into every part request (case-insensitive). Nothing else"
          + " is copied: the gateway sets X-Forwarded-For/-Proto/-Host, Forwarded and"
          + " X-Request-Id itself and never takes them from the client.")
  @Size(max = 32)
  @ValidationRule(
      value = "self.all(h, !(h.lowerAscii() in " + OWNED_HEADERS + "))",
      message =
          "forwardHeaders cannot name headers the gateway sets itself (Host, X-Forwarded-*,"
              + " Forwarded, X-Request-Id) or hop-by-hop and framing headers")
  public List<@Size(min = 1, max = 256) @Pattern(HeaderMatch.HEADER_NAME_PATTERN) String>
      forwardHeaders = new ArrayList<>();

  @JsonPropertyDescription(
      "When a required part answers 4xx, answer with its status and body instead of 502.")
  @Default("false")
  public Boolean passThroughStatus;

  /** How arrays at the same place are combined. */
  public enum ArrayMerge {
    Replace,
    Merge
  }
}
