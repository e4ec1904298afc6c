package dev.portico.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.portico.api.route.Compose;
import dev.portico.api.route.ComposePart;
import dev.portico.api.route.FieldRename;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.ComposeConfig;
import dev.portico.snapshot.ComposePartConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Translates a validated {@code compose} action into its snapshot form, defaults applied. */
final class ComposeTranslator {
  static final long DEFAULT_DEADLINE_MILLIS = 10_000;
  static final int DEFAULT_MAX_CONCURRENCY = 8;
  static final long DEFAULT_MAX_PART_BYTES = 1 << 20;
  static final long DEFAULT_MAX_RESPONSE_BYTES = 4 << 20;
  static final long DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  /** Sorted members: the same fallback always gives the same bytes, hence the same version. */
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private ComposeTranslator() {}

  /**
   * @param backends the parts' resolved backends in part order, null where one did not resolve
   */
  static ComposeConfig translate(Compose c, List<BackendConfig> backends) {
    List<ComposePartConfig> parts = new ArrayList<>();
    for (int i = 0; i < c.parts.size(); i++) {
      ComposePart p = c.parts.get(i);
      boolean root = p.placement == ComposePart.Placement.Root;
      parts.add(
          new ComposePartConfig(
              p.name,
              backends != null && i < backends.size() ? backends.get(i) : null,
              p.method == null ? "GET" : p.method.name(),
              p.path,
              p.dependsOn,
              p.required == null || p.required,
              Durations.toMillis(p.timeout),
              p.fallback == null ? null : canonical(p.fallback),
              Boolean.TRUE.equals(p.bodyPassThrough),
              root ? null : (p.key == null ? p.name : p.key),
              p.select,
              p.omit,
              p.rename == null
                  ? List.of()
                  : p.rename.stream().map(ComposeTranslator::rename).toList()));
    }
    List<String> headers =
        c.forwardHeaders == null
            ? List.of()
            : c.forwardHeaders.stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .distinct()
                .sorted()
                .toList();
    Long deadline = Durations.toMillis(c.deadline);
    return new ComposeConfig(
        parts,
        deadline == null ? DEFAULT_DEADLINE_MILLIS : deadline,
        c.maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : c.maxConcurrency,
        c.maxPartBytes == null ? DEFAULT_MAX_PART_BYTES : c.maxPartBytes,
        c.maxResponseBytes == null ? DEFAULT_MAX_RESPONSE_BYTES : c.maxResponseBytes,
        c.maxRequestBytes == null ? DEFAULT_MAX_REQUEST_BYTES : c.maxRequestBytes,
        c.arrays == null ? Compose.ArrayMerge.Replace.name() : c.arrays.name(),
        headers,
        Boolean.TRUE.equals(c.passThroughStatus));
  }

  private static ComposePartConfig.Rename rename(FieldRename r) {
    return new ComposePartConfig.Rename(r.from, r.to);
  }

  static String canonical(JsonNode json) {
    try {
      return CANONICAL.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON value is always writable", e);
    }
  }
}
