package dev.portico.dataplane.ratelimit;

/**
 * A bucket's identity in the {@link BucketStore}: its counter space (compared by identity: the
 * store hands out one instance per space) and the key value. Lookups use a per-thread probe whose
 * fields are overwritten, so finding an existing bucket allocates nothing; only an inserted key is
 * a fresh, never-changed instance.
 */
final class BucketKey {
  private CounterSpace space;
  private String value;
  private int hash;

  BucketKey(CounterSpace space, String value) {
    set(space, value);
  }

  /** Points a probe at another key; never called on a key that is in the store. */
  BucketKey set(CounterSpace space, String value) {
    this.space = space;
    this.value = value;
    this.hash = System.identityHashCode(space) * 31 + value.hashCode();
    return this;
  }

  CounterSpace space() {
    return space;
  }

  String value() {
    return value;
  }

  BucketKey copy() {
    return new BucketKey(space, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketKey k && k.space == space && k.value.equals(value);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
