package dev.portico.dataplane.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Matcher;
import dev.portico.dataplane.auth.Identity;
import dev.portico.dataplane.compose.PartResult.Outcome;
import dev.portico.dataplane.problem.ProblemType;
import dev.portico.dataplane.problem.Problems;
import dev.portico.dataplane.proxy.ForwardedHeaders;
import dev.portico.dataplane.proxy.ProxyListener;
import dev.portico.dataplane.routing.NormalizedPath;
import dev.portico.dataplane.routing.QueryParams;
import dev.portico.dataplane.routing.RouteMatch;
import dev.portico.dataplane.upstream.HashKeys;
import dev.portico.snapshot.ComposeConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.ProxySettingsConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.TimeoutsConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs one composed request, the {@code compose} action of the request path: buffers the client's
 * body (bounded), starts every part whose dependencies are done, at most {@code maxConcurrency} at
 * a time and in declaration order, enforces the part timeouts and the whole deadline with
 * event-loop timers, and once every part has an outcome merges the values in declaration order. A
 * required part that fails without a fallback ends the request at once and cancels the others.
 *
 * <p>Everything runs on the client request's event loop, so the fields need no synchronisation.
 */
public final class ComposeExchange implements PartTemplate.Values {
  private enum State {
    PENDING,
    RUNNING,
    FINISHED
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final ComposePlan plan;
  private final ComposeConfig config;
  private final RuleConfig rule;
  private final HttpServerRequest req;
  private final RouteMatch match;
  private final NormalizedPath path;
  private final ForwardedHeaders forwarded;
  private final String requestId;
  private final ProxySettingsConfig proxy;
  private final ProxyListener listener;
  private final boolean hasBody;
  private final Set<String> stripHeaders;
  private final Identity identity;
  private final long startNanos = System.nanoTime();

  private final int n;
  private final State[] state;
  private final PartCall[] calls;
  private final Timer[] partTimers;
  private final long[] partStart;
  private final JsonNode[] raw;
  private final JsonNode[] values;
  private final boolean[] partial;

  /** Failures of required parts without a fallback; the first declared one is answered. */
  private final PartResult[] failures;

  private boolean failing;
  private int running;
  private int finished;
  private boolean done;
  private Timer deadline;
  private Buffer body;
  private MultiMap baseHeaders;
  private QueryParams query;
  private Matcher pathParams;
  private boolean pathParamsRead;

  /**
   * Prepares the composition; {@link #start()} begins it. The caller paused the request, and calls
   * {@link #clientClosed()} from the response's close handler, which it owns.
   */
  public ComposeExchange(
      Vertx vertx,
      HttpClient client,
      ComposePlan plan,
      HttpServerRequest req,
      RouteMatch match,
      NormalizedPath path,
      ForwardedHeaders forwarded,
      String requestId,
      ProxySettingsConfig proxy,
      ProxyListener listener,
      boolean hasBody,
      Set<String> stripHeaders,
      Identity identity) {
    this.stripHeaders = stripHeaders;
    this.identity = identity;
    this.vertx = vertx;
    this.client = client;
    this.plan = plan;
    this.config = plan.config();
    this.rule = plan.rule();
    this.req = req;
    this.match = match;
    this.path = path;
    this.forwarded = forwarded;
    this.requestId = requestId;
    this.proxy = proxy;
    this.listener = listener;
    this.hasBody = hasBody;
    this.n = plan.parts().size();
    this.state = new State[n];
    java.util.Arrays.fill(state, State.PENDING);
    this.calls = new PartCall[n];
    this.partTimers = new Timer[n];
    this.partStart = new long[n];
    this.raw = new JsonNode[n];
    this.values = new JsonNode[n];
    this.partial = new boolean[n];
    this.failures = new PartResult[n];
  }

  public void start() {
    if (!hasBody) {
      req.resume();
      begin();
      return;
    }
    long limit = config.maxRequestBytes();
    if (proxy.maxBodyBytes() > 0) {
      limit = Math.min(limit, proxy.maxBodyBytes());
    }
    long max = limit;
    Buffer received = Buffer.buffer();
    req.handler(
        buf -> {
          if (done) {
            return;
          }
          if (received.length() + buf.length() > max) {
            req.handler(null);
            done = true;
            // The rest of the body would be read as the next request: close after answering.
            Problems.send(
                req,
                ProblemType.BODY_TOO_LARGE,
                "the body exceeds " + max + " bytes",
                requestId,
                true);
            return;
          }
          received.appendBuffer(buf);
        });
    req.exceptionHandler(e -> clientClosed());
    req.endHandler(
        v -> {
          if (!done) {
            body = received;
            begin();
          }
        });
    req.resume();
  }

  /** The client went away: every part in flight is cancelled. */
  public void clientClosed() {
    if (done) {
      return;
    }
    done = true;
    cancelAll();
  }

  private void begin() {
    baseHeaders =
        PartHeaders.base(
            req.headers(),
            config.forwardHeaders(),
            forwarded,
            requestId,
            rule.request(),
            stripHeaders,
            identity);
    long millis = config.deadlineMillis();
    TimeoutsConfig t = rule.timeouts();
    if (t != null && t.requestMillis() != null && t.requestMillis() > 0) {
      millis = Math.min(millis, t.requestMillis());
    }
    long deadlineMillis = millis;
    deadline = vertx.timer(deadlineMillis, TimeUnit.MILLISECONDS);
    deadline.onSuccess(v -> deadlinePassed(deadlineMillis));
    schedule();
  }

  /** Starts what can start, in declaration order; answers once every part has an outcome. */
  private void schedule() {
    boolean progress = true;
    while (progress && !done) {
      progress = false;
      for (int i = 0; i < n && !done; i++) {
        if (state[i] != State.PENDING) {
          continue;
        }
        PartPlan part = plan.parts().get(i);
        Integer blocked = blocked(part);
        if (blocked == null) {
          continue; // a dependency is still running
        }
        if (blocked >= 0) {
          state[i] = State.RUNNING; // finish() expects a started part
          finish(
              i,
              PartResult.failed(
                  Outcome.SKIPPED,
                  "part "
                      + part.name()
                      + " depends on part "
                      + plan.parts().get(blocked).name()
                      + ", which failed"));
          progress = true;
          continue;
        }
        if (failing || running >= config.maxConcurrency()) {
          break; // nothing new starts once the request is failing
        }
        launch(i, part);
        progress = true;
      }
    }
    if (failing) {
      failIfDecided();
    } else if (!done && finished == n) {
      respond();
    }
  }

  /**
   * Answers the first declared failure once no earlier required part is still running: which
   * failure the client sees must not depend on which part failed first.
   */
  private void failIfDecided() {
    for (int j = 0; j < n && !done; j++) {
      if (failures[j] != null) {
        fail(failures[j]);
        return;
      }
      PartPlan p = plan.parts().get(j);
      if (state[j] == State.RUNNING && p.config().required() && p.fallback() == null) {
        return; // it may fail too, and it comes first
      }
    }
  }

  /** -1 when every dependency has a value, the index of one that failed, or null while waiting. */
  private Integer blocked(PartPlan part) {
    for (int d : part.dependsOn()) {
      if (state[d] != State.FINISHED) {
        return null;
      }
    }
    for (int d : part.dependsOn()) {
      if (raw[d] == null) {
        return d;
      }
    }
    return -1;
  }

  private void launch(int i, PartPlan part) {
    state[i] = State.RUNNING;
    partStart[i] = System.nanoTime();
    PartTemplate.Missing[] missing = new PartTemplate.Missing[1];
    String uri = part.template().fill(this, m -> missing[0] = m);
    if (uri == null) {
      Outcome outcome = missing[0].fromClient() ? Outcome.MISSING_INPUT : Outcome.SKIPPED;
      String detail =
          missing[0].fromClient()
              ? "the request has no " + missing[0].what() + ", which part " + part.name() + " needs"
              : "part " + part.name() + " needs " + missing[0].what() + ", which is missing";
      finish(i, PartResult.failed(outcome, detail));
      return;
    }
    boolean sendsBody = i == plan.passThrough() && body != null;
    MultiMap headers =
        sendsBody
            ? PartHeaders.withBody(baseHeaders, req.getHeader("content-type"), body.length())
            : baseHeaders;
    TimeoutsConfig t = rule.timeouts();
    PartCall call =
        new PartCall(
            vertx,
            client,
            part,
            plan.retries(),
            listener,
            uri,
            headers,
            sendsBody ? body : null,
            HashKeys.of(rule.loadBalancer(), req, forwarded.clientAddress()),
            t != null && t.connectMillis() != null
                ? t.connectMillis()
                : proxy.connectTimeoutMillis(),
            t != null && t.backendRequestMillis() != null
                ? t.backendRequestMillis()
                : proxy.backendRequestTimeoutMillis(),
            proxy.idleTimeoutMillis(),
            config.maxPartBytes());
    calls[i] = call;
    running++;
    Long timeout = part.config().timeoutMillis();
    if (timeout != null && timeout > 0) {
      Timer timer = vertx.timer(timeout, TimeUnit.MILLISECONDS);
      partTimers[i] = timer;
      timer.onSuccess(
          v ->
              call.cancel(
                  Outcome.TIMEOUT,
                  "part " + part.name() + " did not answer within " + timeout + "ms"));
    }
    call.start().onSuccess(r -> finish(i, r));
  }

  /** Records a part's outcome: its value, its fallback, or the end of the whole request. */
  private void finish(int i, PartResult r) {
    if (done || state[i] == State.FINISHED) {
      return;
    }
    PartPlan part = plan.parts().get(i);
    if (calls[i] != null) {
      running--;
    }
    state[i] = State.FINISHED;
    finished++;
    if (partTimers[i] != null) {
      partTimers[i].cancel();
      partTimers[i] = null;
    }
    long nanos = partStart[i] == 0 ? 0 : System.nanoTime() - partStart[i];
    if (r.ok()) {
      r = parse(i, part, r);
    }
    listener.composedPart(part.name(), r.outcome().tag(), nanos);
    if (!r.ok()) {
      if (part.fallback() != null) {
        raw[i] = part.fallback().deepCopy();
        values[i] = raw[i];
        partial[i] = true;
      } else if (part.config().required()) {
        failures[i] = r;
        failing = true;
      } else {
        partial[i] = true;
      }
    }
    schedule();
  }

  /** Parses a 2xx body as JSON (empty is null) and shapes it; a bad body fails the part. */
  private PartResult parse(int i, PartPlan part, PartResult r) {
    JsonNode node;
    try {
      node =
          r.body().length() == 0
              ? NullNode.getInstance()
              : ComposePlan.JSON.readTree(r.body().getBytes());
    } catch (java.io.IOException e) {
      return PartResult.failed(Outcome.BAD_BODY, "part " + part.name() + " did not answer JSON");
    }
    if (part.config().key() == null && !node.isObject()) {
      return PartResult.failed(
          Outcome.BAD_BODY,
          "part " + part.name() + " did not answer a JSON object, which placement Root needs");
    }
    raw[i] = node;
    values[i] = part.shaper().isIdentity() ? node : part.shaper().apply(node.deepCopy());
    return r;
  }

  private void fail(PartResult r) {
    done = true;
    cancelAll();
    if (r.outcome() == Outcome.STATUS
        && config.passThroughStatus()
        && r.status() >= 400
        && r.status() < 500) {
      ComposeResponder.passThrough(req, r, requestId, rule.response());
      return;
    }
    ComposeResponder.failed(req, r, requestId, false);
  }

  private void deadlinePassed(long millis) {
    deadline = null;
    for (int i = 0; i < n && !done; i++) {
      if (state[i] == State.FINISHED) {
        continue;
      }
      String detail =
          "part "
              + plan.parts().get(i).name()
              + " did not finish within the composition's deadline of "
              + millis
              + "ms";
      if (calls[i] != null) {
        calls[i].cancel(Outcome.TIMEOUT, detail); // finishes the part through its future
      } else {
        state[i] = State.RUNNING;
        finish(i, PartResult.failed(Outcome.TIMEOUT, detail));
      }
    }
  }

  private void respond() {
    done = true;
    cancelTimers();
    ObjectNode root = ComposePlan.JSON.createObjectNode();
    JsonMerger merger = new JsonMerger("Merge".equals(config.arrays()));
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PartPlan part = plan.parts().get(i);
      if (partial[i]) {
        missing.add(part.name());
      }
      if (values[i] != null) {
        merger.place(root, part.config().key(), values[i]);
      }
    }
    byte[] json;
    try {
      json = ComposePlan.JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      Problems.send(
          req, ProblemType.BAD_UPSTREAM_RESPONSE, "the parts cannot be merged", requestId);
      return;
    }
    if (json.length > config.maxResponseBytes()) {
      Problems.send(
          req,
          ProblemType.RESPONSE_TOO_LARGE,
          "the composed response is larger than " + config.maxResponseBytes() + " bytes",
          requestId);
      return;
    }
    listener.upstreamResponded(System.nanoTime() - startNanos);
    ComposeResponder.merged(req, Buffer.buffer(json), missing, requestId, rule.response());
  }

  private void cancelAll() {
    cancelTimers();
    for (PartCall call : calls) {
      if (call != null) {
        call.cancel(Outcome.RESET, "cancelled");
      }
    }
  }

  private void cancelTimers() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
    for (int i = 0; i < n; i++) {
      if (partTimers[i] != null) {
        partTimers[i].cancel();
        partTimers[i] = null;
      }
    }
  }

  // PartTemplate.Values: what templates read, computed on first use.

  @Override
  public String pathParam(String name) {
    if (!pathParamsRead) {
      pathParamsRead = true;
      MatchConfig m = match.entry().match();
      if (m.pathType() == MatchConfig.PathType.RegularExpression) {
        Matcher matcher = plan.pattern(m.path()).matcher(path.path());
        pathParams = matcher.matches() ? matcher : null;
      }
    }
    if (pathParams == null) {
      return null;
    }
    try {
      String value = pathParams.group(name);
      return value == null
          ? null
          : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null; // no such group in this match, or a malformed escape
    }
  }

  @Override
  public String queryParam(String name) {
    if (query == null) {
      query = new QueryParams(path.rawQuery());
    }
    return query.first(name);
  }

  @Override
  public String header(String lowerCaseName) {
    return req.getHeader(lowerCaseName);
  }

  @Override
  public JsonNode part(String name) {
    for (int i = 0; i < n; i++) {
      if (plan.parts().get(i).name().equals(name)) {
        return raw[i];
      }
    }
    return null;
  }
}
