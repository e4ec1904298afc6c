package dev.portico.snapshot;

/**
 * RFC 9110 tokens, the syntax of method and header names: checked by the compiler on what users
 * write and by the data plane on what requests name before either is used in a header.
 */
public final class HttpTokens {
  private HttpTokens() {}

  /** True for a non-empty string of token characters. */
  public static boolean isToken(CharSequence s) {
    if (s == null || s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTokenChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  public static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
