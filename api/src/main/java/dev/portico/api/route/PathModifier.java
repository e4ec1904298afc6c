package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A path replacement used by URL rewrites and redirects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.type == 'ReplaceFullPath') == has(self.replaceFullPath)",
    message = "replaceFullPath must be set exactly when type is ReplaceFullPath")
@ValidationRule(
    value = "(self.type == 'ReplacePrefixMatch') == has(self.replacePrefixMatch)",
    message = "replacePrefixMatch must be set exactly when type is ReplacePrefixMatch")
public class PathModifier {
  @JsonPropertyDescription(
      "ReplaceFullPath replaces the whole path. ReplacePrefixMatch replaces the part matched by a"
          + " PathPrefix match and keeps the rest; the rule's matches must all be PathPrefix.")
  @Required
  public Type type;

  @JsonPropertyDescription("The new path.")
  @Size(max = 1024)
  @Pattern("^/[^\\x00-\\x20\\x7F?#]*$")
  public String replaceFullPath;

  @JsonPropertyDescription("The new prefix.")
  @Size(max = 1024)
  @Pattern("^/[^\\x00-\\x20\\x7F?#]*$")
  public String replacePrefixMatch;

  /** Path replacement kinds. */
  public enum Type {
    ReplaceFullPath,
    ReplacePrefixMatch
  }
}
