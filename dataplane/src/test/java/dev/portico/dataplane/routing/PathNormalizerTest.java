package dev.portico.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.routing.PathNormalizer.EncodedSlashes;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {
  private final PathNormalizer strict = PathNormalizer.defaults();
  private final PathNormalizer lenient = new PathNormalizer(EncodedSlashes.KEEP_ENCODED);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/, /",
    "/api/v1, /api/v1",
    "/a/./b, /a/b",
    "/a/b/../c, /a/c",
    "/public/../admin, /admin",
    "/public/..;/admin, /admin",
    "/public/.;/admin, /public/admin",
    "/public;x/../admin, /admin",
    "//admin, /admin",
    "/a//b///c, /a/b/c",
    "/a/b//, /a/b/",
    "/%2e%2e/admin, /admin",
    "/a/%2E%2E/b, /b",
    "/a/.%2e/b, /b",
    "/a/%2e/b, /a/b",
    "/../x, /x",
    "/../../x, /x",
    "/.., /",
    "/., /",
    "/a/b/.., /a/",
    "/a/., /a/",
    "/a/, /a/",
    "/%41, /A",
    "/%7e%2D%5f%2E, /~-_.",
    "/caf%c3%a9, /caf%C3%A9",
    "/a%3bb, /a%3Bb",
    "/a|b, /a%7Cb",
    "/a/...;x/b, /a/.../b",
    "/admin;x=y/, /admin/",
    "/admin;x=y, /admin",
    "/a/;x/b, /a/b",
    "/a/;x, /a/",
  })
  void normalizes(String target, String expected) {
    NormalizedPath result = strict.normalize(target);

    assertThat(result.error()).as(result.detail()).isNull();
    assertThat(result.path()).isEqualTo(expected);
    assertThat(result.rawQuery()).isNull();
  }

  @Test
  void pathParametersAreKeptForTheUpstreamOnSurvivingSegmentsOnly() {
    NormalizedPath result = strict.normalize("/admin;x=y/list;jsessionid=1/..;p/b;q");

    assertThat(result.path()).isEqualTo("/admin/b");
    assertThat(result.upstreamPath()).isEqualTo("/admin;x=y/b;q");
  }

  @Test
  void upstreamPathIsThePathWhenThereAreNoParameters() {
    NormalizedPath result = strict.normalize("/a/../b%7e");

    assertThat(result.path()).isEqualTo("/b~");
    assertThat(result.upstreamPath()).isSameAs(result.path());
  }

  @Test
  void anAlreadyNormalPathIsReturnedAsIs() {
    String target = "/api/v1/items";

    assertThat(strict.normalize(target).path()).isSameAs(target);
  }

  @Test
  void splitsTheQueryAndKeepsItRaw() {
    NormalizedPath result = strict.normalize("/a/../b?x=%2F&y=/../z&e=%zz");

    assertThat(result.path()).isEqualTo("/b");
    assertThat(result.rawQuery()).isEqualTo("x=%2F&y=/../z&e=%zz");
    assertThat(strict.normalize("/b?").rawQuery()).isEmpty();
    assertThat(strict.normalize("/b?a=1").path()).isEqualTo("/b");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/admin%2F, ENCODED_SLASH",
    "/a%2fb, ENCODED_SLASH",
    "/a;p=%2F, ENCODED_SLASH",
    "/a%5Cb, ENCODED_BACKSLASH",
    "/a%5c, ENCODED_BACKSLASH",
    "/a\\b, BACKSLASH",
    "/%G1, INVALID_PERCENT_ENCODING",
    "/a%4, INVALID_PERCENT_ENCODING",
    "/a%, INVALID_PERCENT_ENCODING",
    "/a%%41, INVALID_PERCENT_ENCODING",
    "/a%00, CONTROL_CHARACTER",
    "/a%1f, CONTROL_CHARACTER",
    "/a%7F, CONTROL_CHARACTER",
    "/caf\u00e9, INVALID_CHARACTER",
    "/a#b, INVALID_CHARACTER",
    "/a?q=\u00e9, INVALID_CHARACTER",
    "admin, MISSING_LEADING_SLASH",
    "*, MISSING_LEADING_SLASH",
    "http://example.com/a, MISSING_LEADING_SLASH",
  })
  void rejects(String target, PathError expected) {
    NormalizedPath result = strict.normalize(target);

    assertThat(result.error()).isEqualTo(expected);
    assertThat(result.isValid()).isFalse();
    assertThat(result.path()).isNull();
    assertThat(result.detail()).startsWith(expected.title());
  }

  @Test
  void rejectsRawControlCharacters() {
    assertThat(strict.normalize("/a\u0000b").error()).isEqualTo(PathError.CONTROL_CHARACTER);
    assertThat(strict.normalize("/a\tb").error()).isEqualTo(PathError.CONTROL_CHARACTER);
    assertThat(strict.normalize("/a\u007fb").error()).isEqualTo(PathError.CONTROL_CHARACTER);
    assertThat(strict.normalize("/a?x=\r\n").error()).isEqualTo(PathError.CONTROL_CHARACTER);
  }

  @Test
  void rejectsAnEmptyOrMissingTarget() {
    assertThat(strict.normalize("").error()).isEqualTo(PathError.MISSING_LEADING_SLASH);
    assertThat(strict.normalize(null).error()).isEqualTo(PathError.MISSING_LEADING_SLASH);
    assertThat(strict.normalize("?a=1").error()).isEqualTo(PathError.MISSING_LEADING_SLASH);
  }

  @Test
  void detailNamesTheOffsetWithoutEchoingTheRequest() {
    NormalizedPath result = strict.normalize("/secret%2Fthing");

    assertThat(result.detail()).contains("offset 7").doesNotContain("secret");
    assertThat(result.error().slug()).isEqualTo("encoded-slash");
  }

  @Test
  void keepEncodedTreatsEncodedSlashesAsSegmentData() {
    assertThat(lenient.normalize("/a%2fb").path()).isEqualTo("/a%2Fb");
    assertThat(lenient.normalize("/a%5cb/./c").path()).isEqualTo("/a%5Cb/c");
    // "..%2F.." is one segment, not two dot segments.
    assertThat(lenient.normalize("/a/..%2F../b").path()).isEqualTo("/a/..%2F../b");
    assertThat(lenient.normalize("/a\\b").error()).isEqualTo(PathError.BACKSLASH);
    assertThat(lenient.normalize("/a%00").error()).isEqualTo(PathError.CONTROL_CHARACTER);
  }

  @Test
  void canonicalEscapesOfRouteValuesMatchNormalizedRequests() {
    assertThat(PathNormalizer.canonicalEscapes("/%7euser/caf%c3%a9")).isEqualTo("/~user/caf%C3%A9");
    assertThat(PathNormalizer.canonicalEscapes("/a|b")).isEqualTo("/a%7Cb");
    String plain = "/api/v1";
    assertThat(PathNormalizer.canonicalEscapes(plain)).isSameAs(plain);
  }

  /**
   * Random targets built from the troublesome pieces: the fast path must agree with the general
   * rewrite, and a normalized path must be its own normal form.
   */
  @Test
  void fastPathAgreesWithRewriteAndOutputIsIdempotent() {
    String[] pieces = {
      "a", "b", ".", "..", "/", "/", "//", ";", ";x=1", "%2e", "%2E", "%41", "%7e", "%2F", "%5c",
      "%zz", "%", "|", "~", "-", ":", "@", "%c3%a9", "%3B"
    };
    Random random = new Random(7);
    int valid = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder target = new StringBuilder("/");
      for (int n = random.nextInt(8); n > 0; n--) {
        target.append(pieces[random.nextInt(pieces.length)]);
      }
      String t = target.toString();
      for (PathNormalizer normalizer : new PathNormalizer[] {strict, lenient}) {
        NormalizedPath fast = normalizer.normalize(t);
        NormalizedPath slow = normalizer.rewrite(t, t.length(), null);
        assertThat(fast).as(t).isEqualTo(slow);
        if (fast.isValid()) {
          valid++;
          assertNormalForm(fast.path(), t);
          assertThat(normalizer.normalize(fast.path()).path()).as(t).isEqualTo(fast.path());
          assertThat(normalizer.normalize(fast.upstreamPath()).path()).as(t).isEqualTo(fast.path());
        }
      }
    }
    assertThat(valid).isGreaterThan(5_000);
  }

  private static void assertNormalForm(String path, String from) {
    assertThat(path).as(from).startsWith("/").doesNotContain("//").doesNotContain(";");
    for (String segment : path.split("/")) {
      assertThat(Set.of(".", "..")).as(from).doesNotContain(segment);
    }
    assertThat(path).as(from).doesNotContainPattern("%[0-9A-F]?[a-f]").doesNotContain("%7E");
  }
}
