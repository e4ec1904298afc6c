package dev.portico.dataplane.ratelimit;

/**
 * The counters of one limit (or of one limit on one route, for a per-route DataPlane limit): every
 * bucket in it has the same rate. The {@link BucketStore} hands out one instance per identity and
 * rate, so counters survive snapshot swaps that keep the limit and start over when its rate
 * changes.
 *
 * @param limitId {@code namespace/policy/limit}
 * @param route the GatewayRoute ({@code namespace/name}) of a per-route counter, or null
 */
public record CounterSpace(String limitId, String route, BucketRate rate) implements ReportedLimit {
  /** The limit's name alone, what the response fields show (no namespace or policy name). */
  @Override
  public String limitName() {
    return limitId.substring(limitId.lastIndexOf('/') + 1);
  }

  @Override
  public long requests() {
    return rate.requests();
  }

  @Override
  public long windowSeconds() {
    return rate.windowSeconds();
  }
}
