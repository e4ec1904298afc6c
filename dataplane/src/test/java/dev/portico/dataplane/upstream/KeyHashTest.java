package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyHashTest {
  @Test
  void valuesArePinnedBecauseReplicasAndReleasesMustAgree() {
    // Changing these remaps every consistent-hash key during a rolling upgrade: do it knowingly.
    assertThat(KeyHash.hash("")).isEqualTo(PINNED_EMPTY);
    assertThat(KeyHash.hash("user-1")).isEqualTo(PINNED_USER_1);
    assertThat(KeyHash.hash("10.0.0.1:8080")).isEqualTo(PINNED_ADDRESS);
  }

  @Test
  void seedsAndSimilarKeysGiveUnrelatedValues() {
    assertThat(KeyHash.hash("user-1", 1)).isNotEqualTo(KeyHash.hash("user-1", 2));
    long a = KeyHash.hash("user-1001");
    long b = KeyHash.hash("user-1002");
    // Avalanche: about half of the 64 bits differ for a one-character change.
    assertThat(Long.bitCount(a ^ b)).isBetween(20, 44);
  }

  @Test
  void everyLengthAndTheTailCount() {
    assertThat(KeyHash.hash("abc")).isNotEqualTo(KeyHash.hash("abc\0"));
    assertThat(KeyHash.hash("abcd")).isNotEqualTo(KeyHash.hash("abcde"));
  }

  @Test
  void sequentialKeysFillBucketsEvenly() {
    int buckets = 64;
    int keys = 128_000;
    int[] counts = new int[buckets];
    for (int i = 0; i < keys; i++) {
      counts[(int) Long.remainderUnsigned(KeyHash.hash("key-" + i), buckets)]++;
    }
    int expected = keys / buckets;
    for (int count : counts) {
      assertThat(count).isBetween(expected * 90 / 100, expected * 110 / 100);
    }
  }

  private static final long PINNED_EMPTY = 0L;
  private static final long PINNED_USER_1 = 0xea9db3feb631f24fL;
  private static final long PINNED_ADDRESS = 0xb9f08b6f8fdefbebL;
}
