package dev.portico.dataplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BucketStoreTest {
  static final long SECOND = 1_000_000_000L;
  final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  final Ticker ticker = clock::get;

  @Test
  void sameKeySameBucketOtherKeyOtherBucket() {
    BucketStore store = new BucketStore(100, ticker);
    CounterSpace space = store.space("ns/p/l", null, BucketRate.of(1, 1, 1));
    TokenBucket a = store.bucket(space, "10.0.0.1", clock.get());
    assertThat(store.bucket(space, new String("10.0.0.1"), clock.get())).isSameAs(a);
    assertThat(store.bucket(space, "10.0.0.2", clock.get())).isNotSameAs(a);
    CounterSpace perRoute = store.space("ns/p/l", "ns/r", BucketRate.of(1, 1, 1));
    assertThat(store.bucket(perRoute, "10.0.0.1", clock.get())).isNotSameAs(a);
  }

  @Test
  void spaceIsReusedWhileTheRateIsUnchanged() {
    BucketStore store = new BucketStore(100, ticker);
    CounterSpace first = store.space("ns/p/l", null, BucketRate.of(5, 60, 5));
    assertThat(store.space("ns/p/l", null, BucketRate.of(5, 60, 5))).isSameAs(first);
    assertThat(store.space("ns/p/l", null, BucketRate.of(6, 60, 5))).isNotSameAs(first);
  }

  @Test
  void idleBucketsExpireOnceTheyWouldBeFull() {
    BucketStore store = new BucketStore(100, ticker);
    CounterSpace space = store.space("ns/p/l", null, BucketRate.of(2, 1, 2)); // full after 1 s
    TokenBucket a = store.bucket(space, "k", clock.get());
    store.cleanUp();
    assertThat(store.size()).isEqualTo(1);
    clock.addAndGet(SECOND - 1);
    assertThat(store.bucket(space, "k", clock.get())).isSameAs(a); // a read extends its life
    clock.addAndGet(SECOND + 1);
    store.cleanUp();
    assertThat(store.size()).isZero();
    assertThat(store.bucket(space, "k", clock.get())).isNotSameAs(a);
  }

  @Test
  void sizeIsCapped() {
    BucketStore store = new BucketStore(50, ticker);
    CounterSpace space = store.space("ns/p/l", null, BucketRate.of(1, 86_400, 1));
    for (int i = 0; i < 1_000; i++) {
      store.bucket(space, "10.0." + (i / 256) + "." + (i % 256), clock.get());
    }
    store.cleanUp();
    assertThat(store.size()).isLessThanOrEqualTo(50);
  }

  @Test
  void retainDropsTheBucketsOfRemovedSpaces() {
    BucketStore store = new BucketStore(100, ticker);
    CounterSpace kept = store.space("ns/p/kept", null, BucketRate.of(1, 60, 1));
    CounterSpace gone = store.space("ns/p/gone", null, BucketRate.of(1, 60, 1));
    store.bucket(kept, "a", clock.get());
    store.bucket(gone, "a", clock.get());
    store.retain(Set.of(kept));
    store.cleanUp();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.space("ns/p/gone", null, BucketRate.of(1, 60, 1))).isNotSameAs(gone);
  }
}
