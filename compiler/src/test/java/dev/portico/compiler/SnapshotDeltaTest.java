package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import dev.portico.snapshot.SnapshotDelta;
import dev.portico.snapshot.SnapshotDelta.ListenerDelta;
import dev.portico.snapshot.SnapshotDelta.VirtualHostDelta;
import dev.portico.snapshot.SnapshotPatch;
import dev.portico.snapshot.SnapshotPatch.InvalidDeltaException;
import dev.portico.snapshot.VirtualHost;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A delta patched onto its base, after a trip through the wire form, gives the target: same
 * content, same version, and the base's own objects wherever nothing changed.
 */
class SnapshotDeltaTest {
  @Test
  void deltasOverRandomEditSequencesRebuildEveryTarget() throws Exception {
    int patched = 0;
    for (long seed = 11; seed <= 14; seed++) {
      IncrementalCompileTest.Cluster cluster = new IncrementalCompileTest.Cluster(new Random(seed));
      Compiler compiler = new Compiler();
      Map<String, Snapshot> previous = compiler.compile(cluster.bundle()).snapshots();
      for (int step = 0; step < 120; step++) {
        String edit = cluster.randomEdit();
        Map<String, Snapshot> next = compiler.compile(cluster.bundle()).snapshots();
        for (var e : next.entrySet()) {
          Snapshot base = previous.get(e.getKey());
          if (base == null) {
            continue;
          }
          Snapshot target = e.getValue();
          SnapshotCodec.Frame frame =
              SnapshotCodec.decodeFrame(SnapshotCodec.encodeDeltaFrame(base, target));
          assertThat(frame.base()).isEqualTo(base.version());
          Snapshot result = SnapshotHasher.versioned(SnapshotPatch.apply(base, frame.delta()));
          assertThat(result).as("seed %d step %d after %s", seed, step, edit).isEqualTo(target);
          assertUnchangedHostsAreTheBaseObjects(base, result);
          patched++;
        }
        previous = next;
      }
    }
    assertThat(patched).isGreaterThan(300);
  }

  @Test
  void aDeltaForOneNewRouteAmongManyIsSmall() throws Exception {
    IncrementalCompileTest.Cluster cluster = new IncrementalCompileTest.Cluster(new Random(3));
    for (int i = 0; i < 300; i++) {
      cluster.put(cluster.route("bulk-" + i));
    }
    Compiler compiler = new Compiler();
    Snapshot base = compiler.compile(cluster.bundle()).snapshots().values().iterator().next();
    cluster.put(cluster.route("one-more"));
    Snapshot target = compiler.compile(cluster.bundle()).snapshots().values().iterator().next();
    int full = SnapshotCodec.encodeFrame(target).length;
    int delta = SnapshotCodec.encodeDeltaFrame(base, target).length;
    assertThat(delta).as("delta %d bytes vs full %d", delta, full).isLessThan(full / 10);
  }

  @Test
  void aDeltaThatDoesNotFitItsBaseIsRefused() {
    Snapshot base =
        new Snapshot(
            "ns/dp",
            "v1",
            null,
            List.of(
                new ListenerConfig(
                    "http",
                    80,
                    "HTTP",
                    List.of(),
                    List.of(new VirtualHost("*", List.of(new RouteEntry(null, "ns/r/0")))))),
            List.of(),
            List.of(),
            List.of(),
            null,
            null,
            null);
    SnapshotDelta tooLong =
        new SnapshotDelta(
            null,
            List.of(
                new ListenerDelta(
                    "http",
                    80,
                    "HTTP",
                    List.of(),
                    false,
                    List.of(new VirtualHostDelta("*", 2, 0, null)))),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null,
            null,
            null);
    assertThatThrownBy(() -> SnapshotPatch.apply(base, tooLong))
        .isInstanceOf(InvalidDeltaException.class)
        .hasMessageContaining("keeps 2+0 of the 1 entries of host *");
    SnapshotDelta keepsUnknownCertificates =
        new SnapshotDelta(
            null,
            List.of(new ListenerDelta("https", 443, "HTTPS", List.of(), true, List.of())),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null,
            null,
            null);
    assertThatThrownBy(() -> SnapshotPatch.apply(base, keepsUnknownCertificates))
        .isInstanceOf(InvalidDeltaException.class)
        .hasMessageContaining("keeps the certificates of listener https");
    SnapshotDelta removesUnknown =
        new SnapshotDelta(
            null,
            List.of(),
            List.of(),
            List.of("ns/gone/0"),
            List.of(),
            List.of(),
            null,
            null,
            null);
    assertThatThrownBy(() -> SnapshotPatch.apply(base, removesUnknown))
        .isInstanceOf(InvalidDeltaException.class)
        .hasMessageContaining("ns/gone/0");
  }

  private static void assertUnchangedHostsAreTheBaseObjects(Snapshot base, Snapshot result) {
    for (ListenerConfig l : result.listeners()) {
      for (VirtualHost vh : l.virtualHosts()) {
        base.listeners().stream()
            .filter(b -> b.name().equals(l.name()))
            .flatMap(b -> b.virtualHosts().stream())
            .filter(b -> b.equals(vh))
            .findFirst()
            .ifPresent(same -> assertThat(vh).isSameAs(same));
      }
    }
    Map<String, RuleConfig> baseRules = new HashMap<>();
    base.rules().forEach(r -> baseRules.put(r.id(), r));
    for (RuleConfig rule : result.rules()) {
      RuleConfig before = baseRules.get(rule.id());
      if (rule.equals(before)) {
        assertThat(rule).isSameAs(before);
      }
    }
  }
}
