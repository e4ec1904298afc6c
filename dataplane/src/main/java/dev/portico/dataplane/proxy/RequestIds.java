package dev.portico.dataplane.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The request id each request carries from the first stage to the access log: the client's (or a
 * front proxy's) {@code X-Request-Id} when it is sane, otherwise a new random one.
 */
public final class RequestIds {
  public static final String HEADER = "x-request-id";
  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /** Keeps a given id only if it is short visible ASCII, so it is safe to log and echo. */
  public static String fromOrNew(String given) {
    if (given != null && !given.isEmpty() && given.length() <= MAX_LENGTH && visible(given)) {
      return given;
    }
    return generate();
  }

  /** 128 random bits in UUID form; ThreadLocalRandom never blocks the event loop on entropy. */
  public static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = r.nextLong();
    long lo = r.nextLong();
    char[] out = new char[36];
    int p = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        out[p++] = '-';
      }
      long word = i < 16 ? hi : lo;
      out[p++] = HEX[(int) (word >>> (60 - 4 * (i % 16))) & 0xf];
    }
    return new String(out);
  }

  private static boolean visible(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
