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
@ValidationRule(
    value =
        "self.type == 'RegularExpression' || !self.value.split('/').exists(s, s == '.' || s =="
            + " '..')",
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
