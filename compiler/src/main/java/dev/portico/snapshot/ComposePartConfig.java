package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One part of a {@link ComposeConfig}.
 *
 * @param backend the resolved Service port, or null when it did not resolve: the part then fails as
 *     a backend without endpoints does (503)
 * @param method upper-case HTTP method
 * @param path the path template with its {placeholders}, validated by the compiler
 * @param dependsOn names of parts that finish before this one starts
 * @param timeoutMillis the part's own time limit, or null for the composition's deadline
 * @param fallback canonical JSON used when the part fails, or null
 * @param key top-level member of the response, or null to merge at the root
 * @param select JSON pointers kept (empty: everything)
 * @param omit JSON pointers removed
 * @param rename fields moved, in order
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComposePartConfig(
    String name,
    BackendConfig backend,
    String method,
    String path,
    List<String> dependsOn,
    boolean required,
    Long timeoutMillis,
    String fallback,
    boolean bodyPassThrough,
    String key,
    List<String> select,
    List<String> omit,
    List<Rename> rename) {

  public ComposePartConfig {
    dependsOn = Lists.copy(dependsOn);
    select = Lists.copy(select);
    omit = Lists.copy(omit);
    rename = Lists.copy(rename);
  }

  /** A field moved from one JSON pointer to another. */
  public record Rename(String from, String to) {}
}
