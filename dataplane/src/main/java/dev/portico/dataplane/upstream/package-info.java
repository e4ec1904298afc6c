/**
 * The data plane's upstream-selection core, the last step before a pooled connection: which backend
 * of a rule ({@link dev.portico.dataplane.upstream.BackendPicker}), which endpoint of that backend
 * ({@link dev.portico.dataplane.upstream.LoadBalancer}), whether a failed attempt is retried
 * ({@link dev.portico.dataplane.upstream.RetryDecider}) and which endpoints sit out for a while
 * ({@link dev.portico.dataplane.upstream.OutlierDetector}).
 *
 * <p>Pure Java, no Vert.x: picks run on the event loops and endpoint updates on discovery's
 * threads, so nothing blocks, the request path takes no locks and a pick allocates nothing. Shared
 * state is atomics and immutable arrays published through volatile references; time is an injected
 * {@code LongSupplier} of nanoseconds, so ejections expire when read and no timer is needed.
 */
package dev.portico.dataplane.upstream;
