package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.api.common.Duration;
import dev.portico.api.dataplane.Listener;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** One backend call of a composition and where its answer goes in the merged response. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "!has(self.key) || !has(self.placement) || self.placement == 'Key'",
    message = "key is only allowed with placement Key")
@ValidationRule(
    value = "!has(self.dependsOn) || !(self.name in self.dependsOn)",
    message = "a part cannot depend on itself")
@ValidationRule(
    value =
        "!has(self.bodyPassThrough) || !self.bodyPassThrough || (has(self.method) && self.method"
            + " in ['POST', 'PUT', 'PATCH'])",
    message = "bodyPassThrough needs method POST, PUT or PATCH")
public class ComposePart {
  /** Path templates: a leading '/', no spaces or control characters, balanced {placeholders}. */
  public static final String TEMPLATE_PATTERN =
      "^/[^{}\\s\\x00-\\x1F\\x7F]*(\\{[^{}\\s\\x00-\\x1F\\x7F]+\\}[^{}\\s\\x00-\\x1F\\x7F]*)*$";

  @JsonPropertyDescription(
      "Name of the part, unique in the composition: the default key of its response and how"
          + " other parts, templates and the Portico-Partial header refer to it.")
  @Required
  @Size(min = 1, max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String name;

  @JsonPropertyDescription(
      "The Service port called: same resolution (ReferenceGrant for another namespace), load"
          + " balancing, timeouts and retries as a rule's backends.")
  @Required
  public PartBackend backend;

  @JsonPropertyDescription("HTTP method of the part request.")
  @Default("GET")
  public Method method;

  @JsonPropertyDescription(
      "Path and optional query of the part request, with placeholders: {name} is a path"
          + " parameter, a named group (?P<name>...) of the rule's RegularExpression path match;"
          + " {query.name} a query parameter and {header.name} a header of the client request;"
          + " {parts.other/json/pointer} a value from the response of a part listed in dependsOn"
          + " (array elements by index: /items/0/id). Values are percent-encoded. A part whose"
          + " value is missing fails (a client request lacking a required part's query parameter"
          + " or header gets 400).")
  @Required
  @Size(min = 1, max = 1024)
  @Pattern(TEMPLATE_PATTERN)
  public String path;

  @JsonPropertyDescription(
      "Parts that must answer before this one starts; every other part runs in parallel.")
  @Size(max = 15)
  public List<@Size(min = 1, max = 63) @Pattern(Listener.DNS_LABEL_PATTERN) String> dependsOn =
      new ArrayList<>();

  @JsonPropertyDescription(
      "A required part that fails (without a fallback) fails the whole request: 502, 504 on a"
          + " timeout, or its own 4xx with passThroughStatus. An optional part that fails is left"
          + " out and named in the Portico-Partial response header.")
  @Default("true")
  public Boolean required;

  @JsonPropertyDescription(
      "Time for this part, from its start to the last byte of its response, retries included."
          + " Bounded by the composition's deadline.")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String timeout;

  @JsonPropertyDescription(
      "Static JSON used in place of the part's response when it fails or times out; the part"
          + " is still named in Portico-Partial.")
  public JsonNode fallback;

  @JsonPropertyDescription(
      "Send the client's request body (buffered, at most maxRequestBytes) with this part; at"
          + " most one part may. Needs method POST, PUT or PATCH.")
  @Default("false")
  public Boolean bodyPassThrough;

  @JsonPropertyDescription(
      "Key: the response goes under key (default the part name). Root: its members are merged"
          + " into the top-level object (the response must be a JSON object).")
  @Default("Key")
  public Placement placement;

  @JsonPropertyDescription("Top-level member that holds the response. Defaults to the part name.")
  @Size(min = 1, max = 63)
  @Pattern("^[A-Za-z_][A-Za-z0-9_.-]*$")
  public String key;

  @JsonPropertyDescription(
      "Allow list: keep only these JSON pointers of the response (a '*' segment matches every"
          + " array element or object member, e.g. /reviews/*/rating). Empty keeps everything.")
  @Size(max = 32)
  public List<@Size(min = 2, max = 256) @Pattern(Compose.POINTER_PATTERN) String> select =
      new ArrayList<>();

  @JsonPropertyDescription(
      "Deny list: remove these JSON pointers ('*' segments allowed), applied after select.")
  @Size(max = 32)
  public List<@Size(min = 2, max = 256) @Pattern(Compose.POINTER_PATTERN) String> omit =
      new ArrayList<>();

  @JsonPropertyDescription("Fields to move, in order, after select and omit.")
  @Size(max = 16)
  public List<FieldRename> rename = new ArrayList<>();

  /** Methods a part may use. */
  public enum Method {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE
  }

  /** Where a part's response goes in the merged document. */
  public enum Placement {
    Key,
    Root
  }
}
