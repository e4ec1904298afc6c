package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One request or response edit; {@code type} says which of the fields below is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.type == 'RequestHeaderModifier') == has(self.requestHeaderModifier)",
    message = "requestHeaderModifier must be set exactly when type is RequestHeaderModifier")
@ValidationRule(
    value = "(self.type == 'ResponseHeaderModifier') == has(self.responseHeaderModifier)",
    message = "responseHeaderModifier must be set exactly when type is ResponseHeaderModifier")
@ValidationRule(
    value = "(self.type == 'URLRewrite') == has(self.urlRewrite)",
    message = "urlRewrite must be set exactly when type is URLRewrite")
@ValidationRule(
    value = "(self.type == 'RequestRedirect') == has(self.requestRedirect)",
    message = "requestRedirect must be set exactly when type is RequestRedirect")
@ValidationRule(
    value = "(self.type == 'DirectResponse') == has(self.directResponse)",
    message = "directResponse must be set exactly when type is DirectResponse")
@ValidationRule(
    value = "(self.type == 'CORS') == has(self.cors)",
    message = "cors must be set exactly when type is CORS")
public class RouteFilter {
  @JsonPropertyDescription("Which edit this is.")
  @Required
  public Type type;

  @JsonPropertyDescription("Headers set, added or removed on the request to the backend.")
  public HeaderModifier requestHeaderModifier;

  @JsonPropertyDescription("Headers set, added or removed on the response to the client.")
  public HeaderModifier responseHeaderModifier;

  @JsonPropertyDescription("Rewrites the Host header or path before proxying.")
  public UrlRewrite urlRewrite;

  @JsonPropertyDescription("Answers with a redirect instead of proxying.")
  public RequestRedirect requestRedirect;

  @JsonPropertyDescription("Answers with a fixed response instead of proxying.")
  public DirectResponse directResponse;

  @JsonPropertyDescription(
      "Cross-origin resource sharing: the gateway answers CORS preflights for the rule itself"
          + " (before authentication and rate limits) and adds the CORS headers to every answer"
          + " of the rule, its own errors included. See docs/security.md.")
  public CorsFilter cors;

  /** Filter kinds. */
  public enum Type {
    RequestHeaderModifier,
    ResponseHeaderModifier,
    URLRewrite,
    RequestRedirect,
    DirectResponse,
    CORS
  }
}
