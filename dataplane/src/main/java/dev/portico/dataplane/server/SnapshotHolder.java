package dev.portico.dataplane.server;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The one mutable cell of the data plane's configuration: the loader swaps a new {@link
 * LoadedSnapshot} in with a single atomic write, and each request reads it once, at its start.
 */
public final class SnapshotHolder {
  private final AtomicReference<LoadedSnapshot> current = new AtomicReference<>();

  /** The snapshot new requests use, or null before the first one is loaded. */
  public LoadedSnapshot current() {
    return current.get();
  }

  /** Installs {@code next}; requests that already started keep the previous one. */
  public LoadedSnapshot swap(LoadedSnapshot next) {
    return current.getAndSet(next);
  }
}
