package dev.portico.dataplane.upstream;

import java.util.Arrays;

/**
 * The lookup table of a {@link ConsistentHashBalancer}, built once per published endpoint list
 * (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer", NSDI 2016).
 *
 * <p>Why Maglev rather than a ketama ring: every endpoint owns either floor or ceil of M/N slots,
 * so the spread is even without hundreds of virtual nodes per endpoint, and a lookup is one modulo
 * and one array read instead of a binary search. The price is slightly more than minimal remapping
 * when endpoints change (a few percent of the other endpoints' keys), which the paper measures and
 * which is acceptable for session affinity.
 *
 * <p>Why M = 65537 for up to 655 endpoints, larger beyond: the paper's disruption figures hold when
 * M is at least ~100 times N. The size is fixed over that whole range because changing M remaps
 * nearly every key; crossing 655 endpoints does that once. Building costs a few milliseconds and
 * happens off the request path (see {@link EndpointSet#update}).
 */
final class MaglevTable {
  static final int MIN_SIZE = 65537;

  /** Primes, each about twice the previous one. */
  private static final int[] SIZES = {
    MIN_SIZE, 131071, 262147, 524287, 1048573, 2097143, 4194301, 8388593
  };

  // Different seeds make an endpoint's offset and skip independent.
  private static final long OFFSET_SEED = 0x9e3779b97f4a7c15L;
  private static final long SKIP_SEED = 0xc2b2ae3d27d4eb4fL;

  /** Slot -> index into the endpoint array the table was built from. */
  private final int[] slots;

  private MaglevTable(int[] slots) {
    this.slots = slots;
  }

  static int sizeFor(int endpoints) {
    for (int size : SIZES) {
      if (size / 100 >= endpoints) {
        return size;
      }
    }
    return SIZES[SIZES.length - 1];
  }

  /**
   * Fills the table: endpoints take turns claiming the next free slot of their own permutation of
   * the table, {@code (offset + j * skip) mod M}, which M being prime makes a full permutation.
   * Offsets and skips come from the endpoint's address, so the table depends only on the set of
   * addresses (which the caller sorts), not on discovery order or on which replica builds it.
   */
  static MaglevTable build(Endpoint[] endpoints) {
    int n = endpoints.length;
    if (n == 0) {
      return new MaglevTable(new int[0]);
    }
    int m = sizeFor(n);
    long[] position = new long[n];
    long[] skip = new long[n];
    for (int i = 0; i < n; i++) {
      String name = endpoints[i].authority();
      position[i] = Long.remainderUnsigned(KeyHash.hash(name, OFFSET_SEED), m);
      skip[i] = Long.remainderUnsigned(KeyHash.hash(name, SKIP_SEED), m - 1) + 1;
    }
    int[] slots = new int[m];
    Arrays.fill(slots, -1);
    int filled = 0;
    while (true) {
      for (int i = 0; i < n; i++) {
        int slot = (int) position[i];
        while (slots[slot] >= 0) {
          slot = next(slot, skip[i], m);
        }
        slots[slot] = i;
        position[i] = next(slot, skip[i], m);
        if (++filled == m) {
          return new MaglevTable(slots);
        }
      }
    }
  }

  private static int next(int slot, long skip, int m) {
    return (int) ((slot + skip) % m);
  }

  int size() {
    return slots.length;
  }

  /** The home slot of a key hash. */
  int slotOf(long hash) {
    return (int) Long.remainderUnsigned(hash, slots.length);
  }

  /** The endpoint index at a slot; {@code slot} may run past the end and wraps around. */
  int endpointAt(int slot) {
    return slots[slot % slots.length];
  }
}
