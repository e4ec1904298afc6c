package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
 * Cross-origin resource sharing for a rule, named after the Gateway API's HTTPCORSFilter: the
 * gateway answers preflights itself and adds the CORS response headers. See docs/security.md.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value =
        "!has(self.allowOrigins) || !('*' in self.allowOrigins) || size(self.allowOrigins) == 1",
    message = "'*' in allowOrigins allows every origin and cannot be combined with other origins")
@ValidationRule(
    value =
        "!has(self.allowMethods) || !('*' in self.allowMethods) || size(self.allowMethods) == 1",
    message = "'*' in allowMethods allows every method and cannot be combined with other methods")
@ValidationRule(
    value =
        "!has(self.allowHeaders) || !('*' in self.allowHeaders) || size(self.allowHeaders) == 1",
    message = "'*' in allowHeaders allows every header and cannot be combined with other headers")
@ValidationRule(
    value =
        "!has(self.exposeHeaders) || !('*' in self.exposeHeaders) || size(self.exposeHeaders) =="
            + " 1",
    message = "'*' in exposeHeaders exposes every header and cannot be combined with other headers")
@ValidationRule(
    value =
        "!(has(self.allowCredentials) && self.allowCredentials) || !has(self.allowOrigins) ||"
            + " !('*' in self.allowOrigins)",
    message =
        "allowCredentials cannot be combined with '*' in allowOrigins: browsers ignore a wildcard"
            + " on credentialed requests; list the origins instead")
@ValidationRule(
    value =
        "!(has(self.allowCredentials) && self.allowCredentials) || !has(self.allowMethods) ||"
            + " !('*' in self.allowMethods)",
    message =
        "allowCredentials cannot be combined with '*' in allowMethods: browsers ignore a wildcard"
            + " on credentialed requests; list the methods instead")
@ValidationRule(
    value =
        "!(has(self.allowCredentials) && self.allowCredentials) || !has(self.allowHeaders) ||"
            + " !('*' in self.allowHeaders)",
    message =
        "allowCredentials cannot be combined with '*' in allowHeaders: browsers ignore a wildcard"
            + " on credentialed requests; list the headers instead")
@ValidationRule(
    value =
        "!(has(self.allowCredentials) && self.allowCredentials) || !has(self.exposeHeaders) ||"
            + " !('*' in self.exposeHeaders)",
    message =
        "allowCredentials cannot be combined with '*' in exposeHeaders: browsers ignore a wildcard"
            + " on credentialed requests; list the headers instead")
public class CorsFilter {
  /**
   * {@code *}, {@code null}, or {@code scheme://host[:port]} where host is a DNS name (its first
   * label may be {@code *}) or a bracketed IPv6 address. Port range and label lengths are the
   * compiler's to check.
   */
  public static final String ORIGIN_PATTERN =
      "^(\\*|null|[a-zA-Z][a-zA-Z0-9+.-]*://((\\*\\.)?[a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*"
          + "|\\[[0-9a-fA-F:.]+\\])(:[0-9]{1,5})?)$";

  @JsonPropertyDescription(
      "Origins whose pages may read the responses: exact origins scheme://host[:port] (scheme"
          + " and host compare case-insensitively; :80 for http and :443 for https may be left"
          + " out), subdomain wildcards such as https://*.example.com (any subdomain of"
          + " example.com, not example.com itself), 'null' (sandboxed and file: documents; only"
          + " when listed), or '*' alone for every origin except 'null' (not with"
          + " allowCredentials). No path and no trailing slash.")
  @Required
  @Size(min = 1, max = 64)
  public List<@Size(min = 1, max = 300) @Pattern(ORIGIN_PATTERN) String> allowOrigins =
      new ArrayList<>();

  @JsonPropertyDescription(
      "Methods allowed on cross-origin requests, case-sensitive (e.g. PUT, DELETE, PATCH), or"
          + " '*' alone for every method (not with allowCredentials). GET, HEAD and POST are"
          + " always allowed, as browsers allow them without asking.")
  @Size(max = 16)
  public List<@Size(min = 1, max = 32) @Pattern(HeaderMatch.HEADER_NAME_PATTERN) String>
      allowMethods = new ArrayList<>();

  @JsonPropertyDescription(
      "Request headers that pages may send (case-insensitive), e.g. Content-Type or"
          + " Authorization, or '*' alone for every header (not with allowCredentials). A"
          + " preflight asking for any other header is refused.")
  @Size(max = 64)
  public List<@Size(min = 1, max = 256) @Pattern(HeaderMatch.HEADER_NAME_PATTERN) String>
      allowHeaders = new ArrayList<>();

  @JsonPropertyDescription(
      "Response headers that pages may read besides Cache-Control, Content-Language,"
          + " Content-Length, Content-Type, Expires, Last-Modified and Pragma (e.g. ETag,"
          + " X-Request-Id, RateLimit), or '*' alone for every header (not with"
          + " allowCredentials).")
  @Size(max = 64)
  public List<@Size(min = 1, max = 256) @Pattern(HeaderMatch.HEADER_NAME_PATTERN) String>
      exposeHeaders = new ArrayList<>();

  @JsonPropertyDescription(
      "Let pages send cookies, HTTP authentication or client certificates and read the"
          + " response (Access-Control-Allow-Credentials: true). Browsers ignore wildcards on"
          + " such requests, so origins, methods and headers must then be listed. Default"
          + " false.")
  public Boolean allowCredentials;

  @JsonPropertyDescription(
      "Seconds a browser may cache a preflight answer, 0 to 86400 (browsers cap it lower:"
          + " Chromium at 7200, Firefox at 86400). Default 5.")
  @Default("5")
  @Min(0)
  @Max(86400)
  public Integer maxAge;
}
