package dev.portico.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.VirtualHost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Versions a snapshot by a SHA-256 over its content in canonical JSON (properties in alphabetical
 * order): the skeleton (everything but virtual hosts, rules and limits) in full, then the digest of
 * each virtual host (itself made of its entries' digests, each of its match's digest and rule id),
 * rule and limit in order, with their counts. Digests are kept per component object, so hashing the
 * next snapshot costs only what changed: an edit among 5,000 routes rehashes one virtual host and
 * one rule, not 1.7 MB of JSON. {@link #versioned(Snapshot)} hashes from scratch; an instance
 * remembers the components of the last snapshots it hashed.
 */
public final class SnapshotHasher {
  /** 16 hex digits (64 bits) identify a version well and still fit a printer column. */
  static final int VERSION_LENGTH = 16;

  /** Unused digests are kept up to twice the used ones plus this many. */
  private static final int PRUNE_SLACK = 1024;

  private static final int DIGEST_BYTES = 32;

  /** Stands for an entry without a match in a virtual host's digest. */
  private static final byte[] NO_MATCH = new byte[32];

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  /** A component's digest and the last round (calls between two forgets) that hashed it. */
  private static final class Remembered {
    final byte[] digest;
    long round;

    Remembered(byte[] digest) {
      this.digest = digest;
    }
  }

  // Components are immutable records, so one object always has one digest. Kept across rounds and
  // pruned only when the unused ones outnumber the used: a round then costs a lookup per component,
  // not a map of every component built again.
  private final Map<Object, Remembered> remembered = new IdentityHashMap<>();

  /** A list hashed at one place of a snapshot, with its items' digests end to end. */
  private record HashedList(Object[] items, byte[] digests) {}

  // The lists of the previous round and of this one, by place.
  private Map<String, HashedList> lists = new HashMap<>();
  private Map<String, HashedList> nextLists = new HashMap<>();
  private long round;
  private int usedThisRound;

  // One digest per nesting level (a host streams its entries' digests, an entry its match's), each
  // reset by its digest() for the next component.
  private final MessageDigest componentSha = sha256();
  private final MessageDigest entrySha = sha256();
  private final MessageDigest hostSha = sha256();

  /** The same snapshot with its version set to the hash of its content, hashed from scratch. */
  public static Snapshot versioned(Snapshot snapshot) {
    return new SnapshotHasher().version(snapshot);
  }

  /**
   * The same snapshot with its version set to the hash of its content, reusing the digests of
   * components that the previous call's snapshots also held. Not thread-safe.
   */
  public Snapshot version(Snapshot snapshot) {
    MessageDigest sha = sha256();
    Snapshot skeleton =
        new Snapshot(
            snapshot.dataPlane(),
            "",
            snapshot.proxy(),
            snapshot.listeners().stream().map(l -> l.withVirtualHosts(null)).toList(),
            null,
            null,
            snapshot.dataPlaneRateLimits(),
            snapshot.rateLimitHeaders(),
            snapshot.redis(),
            snapshot.auth());
    byte[] json = canonicalJson(skeleton);
    sha.update(count(json.length));
    sha.update(json);
    for (ListenerConfig listener : snapshot.listeners()) {
      List<VirtualHost> hosts = listener.virtualHosts();
      sha.update(count(hosts.size()));
      for (VirtualHost host : hosts) {
        String place = snapshot.dataPlane() + "|" + listener.name() + "|" + host.hostname();
        sha.update(hostDigest(place, host));
      }
    }
    List<RuleConfig> rules = snapshot.rules();
    sha.update(count(rules.size()));
    sha.update(itemDigests(snapshot.dataPlane() + "|rules", rules));
    components(sha, snapshot.rateLimits());
    String hex = HexFormat.of().formatHex(sha.digest());
    return snapshot.withVersion(hex.substring(0, VERSION_LENGTH));
  }

  /**
   * Ends a round: call once per compile, after hashing every snapshot of it. Digests of components
   * that no snapshot of the round held are forgotten once they outnumber the used ones, so memory
   * stays within about twice what the latest snapshots hold.
   */
  public void forgetUnused() {
    lists = nextLists;
    nextLists = new HashMap<>();
    if (remembered.size() > 2 * usedThisRound + PRUNE_SLACK) {
      long current = round;
      remembered.values().removeIf(r -> r.round != current);
    }
    round++;
    usedThisRound = 0;
  }

  /** The canonical bytes that a component's digest (or the skeleton) is computed from. */
  private static byte[] canonicalJson(Object value) {
    try {
      return CANONICAL.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("snapshot is not serializable", e);
    }
  }

  private void components(MessageDigest sha, List<?> components) {
    sha.update(count(components.size()));
    for (Object component : components) {
      sha.update(digest(component));
    }
  }

  /** The component's digest, remembered by identity. */
  private byte[] digest(Object component) {
    Remembered r = remembered.get(component);
    if (r == null) {
      r =
          remember(
              component,
              component instanceof RouteEntry entry
                  ? entryDigest(entry)
                  : componentSha.digest(canonicalJson(component)));
    }
    return used(r);
  }

  private Remembered remember(Object component, byte[] digest) {
    Remembered r = new Remembered(digest);
    r.round = round - 1;
    remembered.put(component, r);
    return r;
  }

  private byte[] used(Remembered r) {
    if (r.round != round) {
      r.round = round;
      usedThisRound++;
    }
    return r.digest;
  }

  /**
   * A virtual host from its hostname and its entries' digests in order. A host with one entry more
   * is a new object, but its other entries are the previous objects (the compiler's host order and
   * a replica's patched host keep them), so adding a route to a host of 5,000 hashes one entry and
   * streams 5,000 digests instead of serializing the host.
   *
   * @param place where the host sits (DataPlane, listener, hostname), whose previous entries'
   *     digests are reused by position
   */
  private byte[] hostDigest(String place, VirtualHost host) {
    Remembered r = remembered.get(host);
    if (r != null) {
      HashedList kept = lists.get(place); // still wanted when the host changes next time
      if (kept != null) {
        nextLists.putIfAbsent(place, kept);
      }
      return used(r);
    }
    text(hostSha, host.hostname());
    hostSha.update(count(host.routes().size()));
    hostSha.update(itemDigests(place, host.routes()));
    return used(remember(host, hostSha.digest()));
  }

  /**
   * The digests of a list's items in order, {@value #DIGEST_BYTES} bytes each. The items at its
   * start and end that are the very objects the same place held in the previous round take their
   * digests from there: for a list of 5,000 with one item inserted, that is two array copies and
   * one digest, not 5,000 lookups in a map of every component, each a cache miss.
   */
  private byte[] itemDigests(String place, List<?> items) {
    Object[] now = items.toArray();
    byte[] out = new byte[now.length * DIGEST_BYTES];
    HashedList before = nextLists.get(place);
    if (before == null) {
      before = lists.get(place);
    }
    int head = 0;
    int tail = 0;
    if (before != null) {
      Object[] was = before.items();
      int most = Math.min(was.length, now.length);
      while (head < most && was[head] == now[head]) {
        head++;
      }
      while (tail < most - head && was[was.length - 1 - tail] == now[now.length - 1 - tail]) {
        tail++;
      }
      System.arraycopy(before.digests(), 0, out, 0, head * DIGEST_BYTES);
      System.arraycopy(
          before.digests(),
          (was.length - tail) * DIGEST_BYTES,
          out,
          (now.length - tail) * DIGEST_BYTES,
          tail * DIGEST_BYTES);
    }
    for (int i = head; i < now.length - tail; i++) {
      System.arraycopy(digest(now[i]), 0, out, i * DIGEST_BYTES, DIGEST_BYTES);
    }
    nextLists.put(place, new HashedList(now, out));
    return out;
  }

  /** An entry from the digest of its match (shared by the entries of one route) and its rule id. */
  private byte[] entryDigest(RouteEntry entry) {
    byte[] match = entry.match() == null ? NO_MATCH : digest(entry.match());
    entrySha.update(match);
    text(entrySha, entry.rule());
    return entrySha.digest();
  }

  /** A string, length first so that no two sequences of strings hash alike; null as length -1. */
  private static void text(MessageDigest sha, String s) {
    if (s == null) {
      sha.update(count(-1));
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    sha.update(count(utf8.length));
    sha.update(utf8);
  }

  private static byte[] count(int n) {
    return ByteBuffer.allocate(4).putInt(n).array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
