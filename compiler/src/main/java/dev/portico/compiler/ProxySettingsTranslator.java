package dev.portico.compiler;

import dev.portico.api.dataplane.ProxySettings;
import dev.portico.snapshot.ProxySettingsConfig;
import java.util.List;

/** Fills a DataPlane's proxy settings with defaults and converts durations to milliseconds. */
final class ProxySettingsTranslator {
  private ProxySettingsTranslator() {}

  static ProxySettingsConfig translate(ProxySettings given) {
    ProxySettings d = new ProxySettings(); // the defaults, as the schema declares them
    ProxySettings p = given == null ? d : given;
    return new ProxySettingsConfig(
        or(p.trustedHops, d.trustedHops),
        or(p.encodedSlashes, d.encodedSlashes) == ProxySettings.EncodedSlashes.Reject,
        or(p.preserveHost, d.preserveHost),
        or(p.maxHeaderBytes, d.maxHeaderBytes),
        or(p.maxHeaderCount, d.maxHeaderCount),
        or(p.maxUriLength, d.maxUriLength),
        or(p.maxBodyBytes, d.maxBodyBytes),
        Durations.toMillis(or(p.requestHeaderTimeout, d.requestHeaderTimeout)),
        Durations.toMillis(or(p.idleTimeout, d.idleTimeout)),
        Durations.toMillis(or(p.connectTimeout, d.connectTimeout)),
        Durations.toMillis(or(p.backendRequestTimeout, d.backendRequestTimeout)));
  }

  /** Problems with the settings, for {@link SpecValidationPass}. */
  static void check(ProxySettings p, List<Problem> problems) {
    if (p == null) {
      return;
    }
    String[][] durations = {
      {"requestHeaderTimeout", p.requestHeaderTimeout},
      {"idleTimeout", p.idleTimeout},
      {"connectTimeout", p.connectTimeout},
      {"backendRequestTimeout", p.backendRequestTimeout}
    };
    for (String[] field : durations) {
      try {
        Durations.toMillis(field[1]);
      } catch (IllegalArgumentException e) {
        problems.add(SpecValidationPass.invalid("spec.proxy." + field[0] + ": " + e.getMessage()));
      }
    }
    if (p.trustedHops != null && (p.trustedHops < 0 || p.trustedHops > 10)) {
      problems.add(SpecValidationPass.invalid("spec.proxy.trustedHops must be 0-10"));
    }
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
