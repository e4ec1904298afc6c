package dev.portico.dataplane.upstream;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One address of a backend, as returned by a {@link LoadBalancer} for one attempt: the address plus
 * the live counters that least-request balancing and outlier detection read.
 *
 * <p>An endpoint outlives discovery updates that keep its address, so an in-flight request that
 * holds it reports its outcome into the same counters that new picks read. The proxy brackets every
 * attempt with {@link #requestStarted()} and {@link #requestFinished()}.
 */
public final class Endpoint {
  private final Address address;
  private final String authority;
  private final InetSocketAddress literalAddress;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();

  // Outlier state. Written only by OutlierDetector while it holds its set's ejection guard; read
  // lock-free by every pick. `ejected` is written last and read first, so a reader that sees true
  // also sees the matching deadline, and the common case costs one volatile read.
  private volatile long ejectedUntilNanos;
  private volatile boolean ejected;
  private volatile int ejections;

  Endpoint(Address address) {
    this.address = address;
    this.authority = address.authority();
    this.literalAddress =
        IpLiterals.isLiteral(address.host())
            ? new InetSocketAddress(IpLiterals.parse(address.host()), address.port())
            : null;
  }

  public Address address() {
    return address;
  }

  /**
   * The socket address when the host is an IP literal (nearly always: EndpointSlices hold
   * addresses), parsed once; null for a name, which the connection resolves without blocking.
   */
  public InetSocketAddress literalAddress() {
    return literalAddress;
  }

  /** {@code host:port}, computed once: it keys consistent hashing and shows up in logs. */
  public String authority() {
    return authority;
  }

  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestFinished() {
    activeRequests.decrementAndGet();
  }

  /** Attempts in flight to this endpoint from this replica. */
  public int activeRequests() {
    return activeRequests.get();
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /**
   * How many times this endpoint has been ejected, after decay; sets the next ejection's length.
   */
  public int ejections() {
    return ejections;
  }

  /** True while an ejection lasts; it ends by itself when {@code nowNanos} passes its deadline. */
  public boolean isEjected(long nowNanos) {
    return ejected && nowNanos - ejectedUntilNanos < 0;
  }

  AtomicInteger failureCounter() {
    return consecutiveFailures;
  }

  /** The end of the last ejection; meaningful only when {@link #wasEverEjected()}. */
  long ejectedUntilNanos() {
    return ejectedUntilNanos;
  }

  boolean wasEverEjected() {
    return ejected;
  }

  void eject(long untilNanos, int ejections) {
    this.ejectedUntilNanos = untilNanos;
    this.ejections = ejections;
    this.ejected = true;
  }

  @Override
  public String toString() {
    return authority;
  }
}
