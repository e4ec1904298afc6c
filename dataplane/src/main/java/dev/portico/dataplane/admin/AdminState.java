package dev.portico.dataplane.admin;

import dev.portico.snapshot.Snapshot;

/** What the admin port reports about the data plane; implemented by whoever runs the server. */
public interface AdminState {
  /** False once the process should be restarted: {@code /healthz} then fails. */
  boolean live();

  /** True while the data plane accepts traffic (false while starting or draining). */
  boolean ready();

  /** The snapshot being served, or null until one is loaded. */
  Snapshot snapshot();
}
