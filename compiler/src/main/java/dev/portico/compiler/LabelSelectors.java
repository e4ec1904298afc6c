package dev.portico.compiler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a label selector against labels, as the API server does. Written here because Fabric8
 * offers selector evaluation only inside its client, which the compiler must not depend on.
 */
final class LabelSelectors {
  private LabelSelectors() {}

  /** Null when the selector is well formed, else what is wrong with it. */
  static String validate(LabelSelector selector) {
    if (selector == null) {
      return "selector is missing";
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      String op = r.getOperator();
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      if (r.getKey() == null || r.getKey().isBlank()) {
        return "a matchExpressions entry has no key";
      }
      switch (op == null ? "" : op) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            return "operator " + op + " on key " + r.getKey() + " needs values";
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            return "operator " + op + " on key " + r.getKey() + " takes no values";
          }
        }
        default -> {
          return "unknown operator '" + op + "' on key " + r.getKey();
        }
      }
    }
    return null;
  }

  /** True when the labels satisfy the selector; an empty selector matches everything. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> match = selector.getMatchLabels();
    if (match != null) {
      for (Map.Entry<String, String> e : match.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : expressions(selector)) {
      String value = labels.get(r.getKey());
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static List<LabelSelectorRequirement> expressions(LabelSelector selector) {
    return selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
  }
}
