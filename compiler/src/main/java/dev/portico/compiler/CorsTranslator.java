package dev.portico.compiler;

import dev.portico.api.route.CorsFilter;
import dev.portico.snapshot.CorsConfig;
import dev.portico.snapshot.CorsOrigin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Translates a checked CORS filter into its snapshot form; part of {@link RuleTranslator}. */
final class CorsTranslator {
  static final int DEFAULT_MAX_AGE_SECONDS = 5;

  private CorsTranslator() {}

  static CorsConfig translate(CorsFilter c) {
    UnaryOperator<String> lower = s -> s.toLowerCase(Locale.ROOT);
    return new CorsConfig(
        distinct(c.allowOrigins, CorsTranslator::origin),
        distinct(c.allowMethods, UnaryOperator.identity()),
        distinct(c.allowHeaders, lower),
        distinct(c.exposeHeaders, lower),
        Boolean.TRUE.equals(c.allowCredentials),
        c.maxAge == null ? DEFAULT_MAX_AGE_SECONDS : c.maxAge);
  }

  /**
   * The form the data plane compares: {@code HTTPS://App.Example.com:443} is {@code
   * https://app.example.com}.
   */
  private static String origin(String value) {
    if (value.equals(CorsOrigin.ANY) || value.equals(CorsOrigin.NULL)) {
      return value;
    }
    return CorsOrigin.parsePattern(value).toString();
  }

  /** Normalized and without repeats, in the order written (the order headers list them). */
  private static List<String> distinct(List<String> values, UnaryOperator<String> normalize) {
    if (values == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    values.forEach(v -> out.add(normalize.apply(v)));
    return new ArrayList<>(out);
  }
}
