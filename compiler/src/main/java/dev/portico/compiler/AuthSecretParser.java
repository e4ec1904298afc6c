package dev.portico.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import dev.portico.snapshot.AuthSecretConfig;
import dev.portico.snapshot.AuthSecretConfig.ApiKeyEntry;
import dev.portico.snapshot.AuthSecretConfig.HtpasswdEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the Secrets that security blocks name into snapshot material: a JWK Set (private parts of
 * asymmetric keys dropped), API keys as SHA-256 hashes with their consumers and groups, htpasswd
 * bcrypt entries. Bad entries are left out and described; messages never contain key material.
 */
final class AuthSecretParser {
  /** Shorter keys are guessable: refused. */
  static final int MIN_API_KEY_LENGTH = 16;

  static final String HTPASSWD_KEY = "htpasswd";
  static final String GROUPS_SUFFIX = ".groups";

  private static final Pattern BCRYPT =
      Pattern.compile("^\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$");
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /**
   * What a Secret gave: material (null when nothing usable) and problems (empty when all is well).
   *
   * @param jwks the parsed set, for algorithm checks against the issuers using it
   */
  record Result(AuthSecretConfig material, JWKSet jwks, List<String> problems) {}

  private AuthSecretParser() {}

  static Result jwks(String ref, CredentialSecret secret, String key) {
    String text = secret.values().get(key);
    if (text == null) {
      return failed("has no key '" + key + "' (the JWK Set as JSON)");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(text);
    } catch (ParseException e) {
      // The parser's message may quote the text, which is key material: not repeated.
      return failed(
          "key '" + key + "' is not a JWK Set (a JSON object with a 'keys' array of JWKs)");
    }
    if (set.getKeys().isEmpty()) {
      return failed("key '" + key + "' holds a JWK Set without keys");
    }
    List<Map<String, Object>> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      // A symmetric key is the secret itself; an asymmetric key's private part is never needed.
      JWK shown = KeyType.OCT.equals(jwk.getKeyType()) ? jwk : jwk.toPublicJWK();
      keys.add(new TreeMap<>(shown.toJSONObject()));
    }
    try {
      String json = JSON.writeValueAsString(Map.of("keys", keys));
      return new Result(new AuthSecretConfig(ref, json, null, null), set, List.of());
    } catch (JsonProcessingException e) {
      return failed("key '" + key + "' cannot be encoded: " + e.getOriginalMessage());
    }
  }

  static Result apiKeys(String ref, CredentialSecret secret) {
    List<String> problems = new ArrayList<>();
    Map<String, ApiKeyEntry> byHash = new TreeMap<>();
    Map<String, String> owner = new HashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(secret.values()).entrySet()) {
      String consumer = e.getKey();
      if (consumer.endsWith(GROUPS_SUFFIX)) {
        continue;
      }
      List<String> groups = new ArrayList<>();
      String groupText = secret.values().get(consumer + GROUPS_SUFFIX);
      if (groupText != null) {
        Arrays.stream(groupText.split(","))
            .map(String::trim)
            .filter(g -> !g.isEmpty())
            .forEach(groups::add);
      }
      groups = List.copyOf(new TreeSet<>(groups));
      for (String key : e.getValue().split("[\\s,]+")) {
        if (key.isEmpty()) {
          continue;
        }
        if (key.length() < MIN_API_KEY_LENGTH) {
          problems.add(
              "consumer "
                  + consumer
                  + " has a key shorter than "
                  + MIN_API_KEY_LENGTH
                  + " characters; it is ignored");
          continue;
        }
        String hash = sha256Hex(key);
        String before = owner.putIfAbsent(hash, consumer);
        if (before != null && !before.equals(consumer)) {
          problems.add(
              "consumers " + before + " and " + consumer + " share a key; it is ignored for both");
          byHash.remove(hash);
          continue;
        }
        byHash.put(hash, new ApiKeyEntry(hash, consumer, groups));
      }
    }
    if (byHash.isEmpty() && problems.isEmpty()) {
      problems.add(
          "holds no API keys; add one data key per consumer whose value is the consumer's key");
    }
    AuthSecretConfig material =
        byHash.isEmpty()
            ? null
            : new AuthSecretConfig(ref, null, List.copyOf(byHash.values()), null);
    return new Result(material, null, problems);
  }

  static Result htpasswd(String ref, CredentialSecret secret) {
    String text = secret.values().get(HTPASSWD_KEY);
    if (text == null) {
      return failed("has no key '" + HTPASSWD_KEY + "' (user:bcrypt-hash lines, htpasswd -B)");
    }
    List<String> problems = new ArrayList<>();
    Map<String, HtpasswdEntry> users = new TreeMap<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String user = colon <= 0 ? null : line.substring(0, colon);
      String hash = colon <= 0 ? "" : line.substring(colon + 1);
      if (user == null) {
        problems.add("line " + (i + 1) + " is not 'user:hash'; it is ignored");
      } else if (!BCRYPT.matcher(hash).matches()) {
        problems.add(
            "line "
                + (i + 1)
                + " (user "
                + user
                + ") is not a bcrypt hash; only bcrypt is accepted (htpasswd -B)");
      } else if (users.putIfAbsent(user, new HtpasswdEntry(user, hash)) != null) {
        problems.add("user " + user + " is listed twice; the first line counts");
      }
    }
    if (users.isEmpty() && problems.isEmpty()) {
      problems.add("key '" + HTPASSWD_KEY + "' holds no users");
    }
    AuthSecretConfig material =
        users.isEmpty() ? null : new AuthSecretConfig(ref, null, null, List.copyOf(users.values()));
    return new Result(material, null, problems);
  }

  static String sha256Hex(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Result failed(String problem) {
    return new Result(null, null, List.of(problem));
  }
}
