package dev.portico.bench;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.DataPlaneSpec;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.route.BackendRef;
import dev.portico.api.route.GatewayRoute;
import dev.portico.api.route.GatewayRouteSpec;
import dev.portico.api.route.ParentRef;
import dev.portico.api.route.PathMatch;
import dev.portico.api.route.RouteMatch;
import dev.portico.api.route.RouteRule;
import dev.portico.compiler.CompileResult;
import dev.portico.compiler.Compiler;
import dev.portico.compiler.ResourceBundle;
import dev.portico.compiler.SnapshotHasher;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.ratelimit.BucketStore;
import dev.portico.dataplane.ratelimit.RateLimiter;
import dev.portico.dataplane.server.LoadedSnapshot;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import dev.portico.snapshot.SnapshotPatch;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU path of one new route in {@code bench/propagation.sh}'s cluster, without the API server
 * and the network: {@code n} GatewayRoutes with one PathPrefix rule each, no hostnames (so all on
 * one virtual host), one DataPlane and one Service. Each invocation adds a route or removes the one
 * it added, alternately.
 *
 * <ul>
 *   <li>{@code operatorCompile}: the operator's compile after that change;
 *   <li>{@code replicaApply}: the replica's work for the resulting delta line: decode, patch, hash
 *       check and the prepared snapshot (route tables, rule state) that is swapped in.
 * </ul>
 *
 * Run by {@code bench/propagation-path.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms1g", "-Xmx1g"})
public class PropagationPathBenchmark {
  private static final String NS = "bench";
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  @Param({"1000", "5000"})
  public int routes;

  private List<GatewayRoute> existing;
  private ResourceBundle without;
  private ResourceBundle with;
  private Compiler compiler;
  private boolean added;

  // Replica side: the two delta lines that go from one snapshot to the other and back.
  private byte[] addLine;
  private byte[] removeLine;
  private Snapshot served;
  private LoadedSnapshot loaded;
  private SnapshotHasher hasher;
  private EndpointRegistry registry;
  private RateLimiter limiter;

  @Setup(Level.Trial)
  public void setUp() {
    existing = new ArrayList<>();
    for (int i = 0; i < routes; i++) {
      existing.add(route("r" + i, "/r" + i, i));
    }
    List<GatewayRoute> more = new ArrayList<>(existing);
    more.add(route("new", "/new", routes));
    without = bundle(existing);
    with = bundle(more);
    compiler = new Compiler();
    compiler.compile(without);

    Compiler other = new Compiler();
    Snapshot a = only(other.compile(without));
    Snapshot b = only(other.compile(with));
    addLine = SnapshotCodec.encodeDeltaFrame(a, b);
    removeLine = SnapshotCodec.encodeDeltaFrame(b, a);
    hasher = new SnapshotHasher();
    registry = new EndpointRegistry();
    limiter = new RateLimiter(new BucketStore(), null);
    served = hasher.version(a);
    hasher.forgetUnused();
    loaded = LoadedSnapshot.load(served, registry, limiter, null);
    System.out.printf(
        "%n%d routes; delta lines %d and %d bytes%n", routes, addLine.length, removeLine.length);
  }

  @Benchmark
  public CompileResult operatorCompile() {
    added = !added;
    return compiler.compile(added ? with : without);
  }

  @Benchmark
  public LoadedSnapshot replicaApply() throws Exception {
    byte[] line = served.rules().size() == routes ? addLine : removeLine;
    SnapshotCodec.Frame frame = SnapshotCodec.decodeFrame(line);
    Snapshot patched = hasher.version(SnapshotPatch.apply(served, frame.delta()));
    hasher.forgetUnused();
    if (!patched.version().equals(frame.version())) {
      throw new IllegalStateException("patched snapshot hashes to " + patched.version());
    }
    loaded = LoadedSnapshot.load(patched, registry, limiter, loaded);
    served = patched;
    return loaded;
  }

  private static Snapshot only(CompileResult result) {
    return result.snapshots().values().iterator().next();
  }

  private static ResourceBundle bundle(List<GatewayRoute> routes) {
    Listener http = new Listener();
    http.name = "http";
    http.port = 8080;
    DataPlaneSpec spec = new DataPlaneSpec();
    spec.replicas = 1;
    spec.listeners.add(http);
    DataPlane dp = new DataPlane();
    dp.setMetadata(meta("edge", 0));
    dp.setSpec(spec);

    ServicePort port = new ServicePort();
    port.setName("http");
    port.setPort(80);
    port.setTargetPort(new IntOrString(9000));
    ServiceSpec serviceSpec = new ServiceSpec();
    serviceSpec.setPorts(List.of(port));
    Service service = new Service();
    service.setMetadata(meta("catalog", 0));
    service.setSpec(serviceSpec);
    return new ResourceBundle(
        List.of(dp),
        routes,
        List.of(),
        List.of(service),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  private static GatewayRoute route(String name, String path, int i) {
    RouteMatch match = new RouteMatch();
    match.path = new PathMatch(PathMatch.Type.PathPrefix, path);
    BackendRef backend = new BackendRef();
    backend.name = "catalog";
    backend.port = 80;
    RouteRule rule = new RouteRule();
    rule.matches.add(match);
    rule.backends.add(backend);
    GatewayRouteSpec spec = new GatewayRouteSpec();
    spec.parentRefs = List.of(new ParentRef("edge", null, null));
    spec.rules.add(rule);
    GatewayRoute route = new GatewayRoute();
    route.setMetadata(meta(name, i));
    route.setSpec(spec);
    return route;
  }

  private static ObjectMeta meta(String name, int i) {
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(NS);
    meta.setName(name);
    meta.setUid("uid-" + name);
    meta.setGeneration(1L);
    meta.setResourceVersion(String.valueOf(i + 1));
    meta.setCreationTimestamp(EPOCH.plusSeconds(i).toString());
    return meta;
  }
}
