package dev.portico.compiler;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.portico.api.route.Compose;
import dev.portico.api.route.ComposePart;
import dev.portico.api.route.FieldRename;
import dev.portico.api.route.PathMatch;
import dev.portico.api.route.RouteMatch;
import dev.portico.api.route.RouteRule;
import dev.portico.snapshot.ComposeConfig;
import dev.portico.snapshot.JsonPointers;
import dev.portico.snapshot.PathTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks of a rule's {@code compose} action, part of {@link SpecValidationPass}: what admission
 * cannot see (dependency cycles, placeholders that name no path parameter or no earlier part) and,
 * for files no API server admitted, the schema's own rules.
 */
final class ComposeChecks {
  /** The schema's limit; the data plane relies on it for its bounded work per request. */
  static final int MAX_PARTS = 16;

  static final int MAX_FALLBACK_BYTES = 64 * 1024;

  private ComposeChecks() {}

  static void check(RouteRule rule, String at, List<Problem> problems) {
    Compose compose = rule.compose;
    String where = at + ".compose";
    List<ComposePart> parts = compose.parts == null ? List.of() : compose.parts;
    if (parts.isEmpty() || parts.size() > MAX_PARTS) {
      problems.add(invalid(where + ".parts needs 1 to " + MAX_PARTS + " parts"));
      return;
    }
    Map<String, ComposePart> byName = new LinkedHashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      ComposePart p = parts.get(i);
      if (p.name == null || p.name.isEmpty()) {
        problems.add(invalid(where + ".parts[" + i + "].name is required"));
      } else if (byName.putIfAbsent(p.name, p) != null) {
        problems.add(invalid(where + ".parts[" + i + "].name '" + p.name + "' is not unique"));
      }
    }
    if (byName.size() != parts.size()) {
      return;
    }
    Set<String> groups = namedGroups(rule);
    int passThrough = 0;
    for (int i = 0; i < parts.size(); i++) {
      ComposePart p = parts.get(i);
      String pat = where + ".parts[" + i + "]";
      if (p.backend == null || p.backend.name == null || p.backend.port == null) {
        problems.add(invalid(pat + ".backend needs a name and a port"));
      }
      for (String d : nonNull(p.dependsOn)) {
        if (!byName.containsKey(d)) {
          problems.add(invalid(pat + ".dependsOn names '" + d + "', which is not a part"));
        } else if (d.equals(p.name)) {
          problems.add(invalid(pat + ".dependsOn: a part cannot depend on itself"));
        }
      }
      if (Boolean.TRUE.equals(p.bodyPassThrough)) {
        passThrough++;
        if (p.method == null || p.method == ComposePart.Method.GET) {
          problems.add(invalid(pat + ".bodyPassThrough needs method POST, PUT or PATCH"));
        }
      }
      if (p.key != null && p.placement == ComposePart.Placement.Root) {
        problems.add(invalid(pat + ".key is only allowed with placement Key"));
      }
      duration(p.timeout, pat + ".timeout", problems);
      pointers(p.select, pat + ".select", problems);
      pointers(p.omit, pat + ".omit", problems);
      List<FieldRename> renames = nonNull(p.rename);
      for (int k = 0; k < renames.size(); k++) {
        FieldRename r = renames.get(k);
        pointers(
            r.from == null || r.to == null ? List.of("") : List.of(r.from, r.to),
            pat + ".rename[" + k + "]",
            problems);
        if ((r.from != null && r.from.matches(".*/\\*(/.*)?$"))
            || (r.to != null && r.to.matches(".*/\\*(/.*)?$"))) {
          problems.add(invalid(pat + ".rename[" + k + "]: '*' segments are for select and omit"));
        }
      }
      if (p.fallback != null) {
        if (ComposeTranslator.canonical(p.fallback).length() > MAX_FALLBACK_BYTES) {
          problems.add(invalid(pat + ".fallback is larger than " + MAX_FALLBACK_BYTES + " bytes"));
        }
        if (p.placement == ComposePart.Placement.Root && !p.fallback.isObject()) {
          problems.add(invalid(pat + ".fallback must be a JSON object with placement Root"));
        }
      }
      template(p, pat, groups, byName, problems);
    }
    if (passThrough > 1) {
      problems.add(invalid(where + ".parts: at most one part may have bodyPassThrough"));
    }
    String cycle = cycle(parts, byName);
    if (cycle != null) {
      problems.add(invalid(where + ".parts: dependsOn forms a cycle: " + cycle));
    }
    duration(compose.deadline, where + ".deadline", problems);
    for (String h : nonNull(compose.forwardHeaders)) {
      if (h != null && ComposeConfig.GATEWAY_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
        problems.add(
            invalid(
                where
                    + ".forwardHeaders cannot name '"
                    + h
                    + "': the gateway sets it itself or it is hop-by-hop"));
      }
    }
  }

  /** Placeholders must parse, name path parameters every match defines, and earlier parts. */
  private static void template(
      ComposePart p,
      String at,
      Set<String> groups,
      Map<String, ComposePart> byName,
      List<Problem> problems) {
    PathTemplate template;
    try {
      template = PathTemplate.parse(p.path);
    } catch (IllegalArgumentException e) {
      problems.add(invalid(at + ".path '" + p.path + "': " + e.getMessage()));
      return;
    }
    Set<String> before = dependencies(p, byName);
    for (PathTemplate.Segment s : template.segments()) {
      if (s instanceof PathTemplate.PathParam param && !groups.contains(param.name())) {
        problems.add(
            invalid(
                at
                    + ".path: {"
                    + param.name()
                    + "} is not a path parameter: every match of the rule needs a"
                    + " RegularExpression path with a named group (?P<"
                    + param.name()
                    + ">...)"));
      } else if (s instanceof PathTemplate.PartValue value && !before.contains(value.part())) {
        problems.add(
            invalid(
                at
                    + ".path: {parts."
                    + value.part()
                    + value.pointer()
                    + "} needs part '"
                    + value.part()
                    + "' in dependsOn (directly or through another part)"));
      }
    }
  }

  /** The named groups that every match of the rule has; only these are path parameters. */
  private static Set<String> namedGroups(RouteRule rule) {
    Set<String> common = null;
    for (RouteMatch m : Matches.of(rule)) {
      Set<String> names = new HashSet<>();
      PathMatch path = m.path;
      if (path != null && path.type == PathMatch.Type.RegularExpression && path.value != null) {
        try {
          names.addAll(Pattern.compile(path.value).namedGroups().keySet());
        } catch (PatternSyntaxException e) {
          // reported by the match checks
        }
      }
      if (common == null) {
        common = names;
      } else {
        common.retainAll(names);
      }
    }
    return common == null ? Set.of() : common;
  }

  /** Every part this one waits for, directly or through others. */
  private static Set<String> dependencies(ComposePart p, Map<String, ComposePart> byName) {
    Set<String> seen = new HashSet<>();
    List<String> todo = new ArrayList<>(nonNull(p.dependsOn));
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      ComposePart q = byName.get(next);
      if (q != null && seen.add(next)) {
        todo.addAll(nonNull(q.dependsOn));
      }
    }
    return seen;
  }

  /** A cycle as {@code a -> b -> a}, or null; depth-first in declaration order. */
  private static String cycle(List<ComposePart> parts, Map<String, ComposePart> byName) {
    Map<String, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
    for (ComposePart p : parts) {
      List<String> stack = new ArrayList<>();
      String found = visit(p.name, byName, state, stack);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String visit(
      String name,
      Map<String, ComposePart> byName,
      Map<String, Integer> state,
      List<String> stack) {
    Integer s = state.get(name);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null) {
      List<String> loop = new ArrayList<>(stack.subList(stack.indexOf(name), stack.size()));
      loop.add(name);
      return String.join(" -> ", loop);
    }
    ComposePart p = byName.get(name);
    if (p == null) {
      return null;
    }
    state.put(name, 1);
    stack.add(name);
    for (String d : nonNull(p.dependsOn)) {
      String found = visit(d, byName, state, stack);
      if (found != null) {
        return found;
      }
    }
    stack.remove(stack.size() - 1);
    state.put(name, 2);
    return null;
  }

  private static void pointers(List<String> pointers, String at, List<Problem> problems) {
    for (String pointer : nonNull(pointers)) {
      try {
        JsonPointers.check(pointer);
      } catch (IllegalArgumentException e) {
        problems.add(invalid(at + ": " + e.getMessage()));
      }
    }
  }

  private static void duration(String value, String at, List<Problem> problems) {
    try {
      Durations.toMillis(value);
    } catch (IllegalArgumentException e) {
      problems.add(invalid(at + ": " + e.getMessage()));
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Problem invalid(String message) {
    return SpecValidationPass.invalid(message);
  }
}
