package dev.portico.dataplane.filter;

import dev.portico.snapshot.HeaderEdits;
import io.vertx.core.MultiMap;

/**
 * Applies a rule's header edits (remove, then set, then add) to the headers sent to a backend or to
 * the response sent to the client; the request edits run after the proxy headers are added, so a
 * rule may override them.
 */
public final class HeaderEditFilter {
  private HeaderEditFilter() {}

  public static void apply(HeaderEdits edits, MultiMap headers) {
    if (edits == null || edits.isEmpty()) {
      return;
    }
    for (String name : edits.remove()) {
      headers.remove(name);
    }
    for (HeaderEdits.Header h : edits.set()) {
      headers.set(h.name(), h.value());
    }
    for (HeaderEdits.Header h : edits.add()) {
      headers.add(h.name(), h.value());
    }
  }
}
