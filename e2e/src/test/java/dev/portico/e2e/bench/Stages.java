package dev.portico.e2e.bench;

import dev.portico.e2e.cluster.PorticoProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where propagation time goes, from the components' own timers: the operator's compiles (its meter
 * registry, in the benchmark's JVM) and the replica's snapshot apply stages ({@code
 * portico_snapshot_apply_seconds} on its admin port). Two readings give the mean per event between
 * them; the rest of a new route's time is the API server, informer delivery, the push and the poll.
 */
final class Stages {
  private static final List<String> REPLICA_STAGES = List.of("decode", "discovery", "swap");
  private static final Pattern SAMPLE =
      Pattern.compile(
          "^portico_snapshot_apply_seconds_(sum|count)\\{[^}]*stage=\"([a-z]+)\"[^}]*} (\\S+)$");

  /** Name -> {count, total seconds}. */
  private final Map<String, double[]> timers;

  private Stages(Map<String, double[]> timers) {
    this.timers = timers;
  }

  static Stages read(MeterRegistry operator, PorticoProcess replica) throws Exception {
    Map<String, double[]> timers = new LinkedHashMap<>();
    Timer compile = operator.find("portico.operator.compile").timer();
    timers.put(
        "operator compile",
        compile == null
            ? new double[2]
            : new double[] {compile.count(), compile.totalTime(TimeUnit.SECONDS)});
    Timer cpu = operator.find("portico.operator.compile.cpu").timer();
    timers.put(
        "of which CPU",
        cpu == null ? new double[2] : new double[] {cpu.count(), cpu.totalTime(TimeUnit.SECONDS)});
    for (String stage : REPLICA_STAGES) {
      timers.put("replica " + stage, new double[2]);
    }
    for (String line : replica.admin("/metrics").body().split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (m.matches()) {
        double[] t = timers.get("replica " + m.group(2));
        if (t != null) {
          t[m.group(1).equals("count") ? 0 : 1] = Double.parseDouble(m.group(3));
        }
      }
    }
    return new Stages(timers);
  }

  /** "operator compile 41.2 ms (n=50), replica decode 3.1 ms (n=50), ...". */
  String since(Stages before) {
    StringBuilder out = new StringBuilder();
    timers.forEach(
        (name, now) -> {
          double[] then = before.timers.getOrDefault(name, new double[2]);
          double n = now[0] - then[0];
          double seconds = now[1] - then[1];
          if (out.length() > 0) {
            out.append(", ");
          }
          out.append(
              n <= 0
                  ? name + " -"
                  : String.format("%s %.1f ms (n=%d)", name, seconds * 1000 / n, (long) n));
        });
    return out.toString();
  }
}
