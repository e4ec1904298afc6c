package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A path condition, evaluated on the normalized path (dot segments and duplicate slashes gone). */
@ValidationRule(
    value = "self.type == 'RegularExpression' || self.value.startsWith('/')",
    message = "Exact and PathPrefix values must start with '/'")
@ValidationRule(
    value = "self.type == 'RegularExpression' || !self.value.contains('//')",
    message = "Exact and PathPrefix values must not contain '//'")
// A regex, not split('/').exists(...): the API server estimates the split version at 2.6x the
// CEL cost budget (a 1024-char value in up to 64 rules x 16 matches) and refuses the whole CRD.
// Same meaning: a segment that is exactly '.' or '..', bounded by the start, the end or '/'.
@ValidationRule(
    value = "self.type == 'RegularExpression' || !self.value.matches('(^|/)[.][.]?(/|$)')",
    message = "Exact and PathPrefix values must not contain '.' or '..' segments")
@ValidationRule(
    value = "self.type == 'RegularExpression' || !self.value.matches('(;|%2[Ff]|%5[Cc]|\\\\\\\\)')",
    message =
        "Exact and PathPrefix values must not contain ';', '%2F', '%5C' or a backslash: requests"
            + " are matched on their normalized path, which never contains them")
public class PathMatch {
  @JsonPropertyDescription(
      "Exact: the whole path. PathPrefix: whole leading segments ('/foo' matches '/foo' and"
          + " '/foo/bar', not '/foobar'). RegularExpression: RE2-style syntax matched against the"
          + " whole path.")
  @Default("PathPrefix")
  public Type type = Type.PathPrefix;

  @JsonPropertyDescription("The path, prefix or regular expression.")
  @Default("/")
  @Size(min = 1, max = 1024)
  public String value = "/";

  public PathMatch() {}

  public PathMatch(Type type, String value) {
    this.type = type;
    this.value = value;
  }

  /** How a path value is compared. */
  public enum Type {
    Exact,
    PathPrefix,
    RegularExpression
  }
}
