package dev.portico.compiler;

import dev.portico.api.dataplane.DataPlane;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Working state of one DataPlane during a compile. */
final class DataPlaneState {
  final DataPlane resource;
  final ObjectKey key;
  final List<Problem> problems = new ArrayList<>();
  final SortedSet<String> rateLimits = new TreeSet<>();

  DataPlaneState(DataPlane resource) {
    this.resource = resource;
    this.key = ObjectKey.of(DataPlane.KIND, resource);
  }

  boolean accepted() {
    return problems.isEmpty();
  }

  String id() {
    return key.namespacedName();
  }
}
