package dev.portico.dataplane.upstream;

/**
 * The 64-bit hash behind consistent hashing: of request keys on every pick, of endpoint addresses
 * when a Maglev table is built.
 *
 * <p>MurmurHash3's x64 block and finalization steps, fed four UTF-16 code units per 64-bit block
 * straight from the {@link CharSequence}: no byte encoding, so hashing a header value allocates
 * nothing. Not {@link String#hashCode()}: 32 bits with weak low-bit dispersion, so similar keys
 * ({@code user-1001}, {@code user-1002}) would crowd the same region of the table. Not CRC32C: it
 * needs bytes, and a CRC is linear, so it needs extra mixing anyway.
 *
 * <p>The output is part of the wire contract between replicas and between releases: every replica
 * must send a key to the same endpoint, so changing this function remaps every key once.
 */
final class KeyHash {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private KeyHash() {}

  static long hash(CharSequence s) {
    return hash(s, 0);
  }

  static long hash(CharSequence s, long seed) {
    int n = s.length();
    long h = seed;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      long k =
          s.charAt(i)
              | (long) s.charAt(i + 1) << 16
              | (long) s.charAt(i + 2) << 32
              | (long) s.charAt(i + 3) << 48;
      h ^= mixBlock(k);
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }
    long tail = 0;
    for (int shift = 0; i < n; i++, shift += 16) {
      tail |= (long) s.charAt(i) << shift;
    }
    h ^= mixBlock(tail);
    h ^= n;
    return finish(h);
  }

  private static long mixBlock(long k) {
    k *= C1;
    k = Long.rotateLeft(k, 31);
    return k * C2;
  }

  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
