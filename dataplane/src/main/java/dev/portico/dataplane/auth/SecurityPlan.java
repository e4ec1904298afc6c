package dev.portico.dataplane.auth;

import dev.portico.snapshot.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One rule's security, prepared: which credential to look for, how to check it, the access rules,
 * and what to strip before the request goes on. {@link #check} is the stage between route matching
 * and rate limits.
 *
 * <p>A request carrying a credential is judged by it: a bad one is refused even when anonymous
 * callers are allowed, so a client cannot fall back to anonymous by sending garbage. Which method
 * applies is decided by what the request carries: a bearer token (or the JWT header/query
 * parameter), then the API-key header or parameter, then {@code Authorization: Basic}.
 */
public final class SecurityPlan {
  /** Identity headers the gateway owns: removed from every request, set only by the gateway. */
  public static final Set<String> IDENTITY_HEADERS =
      Set.of(IdentityHeaders.CONSUMER, IdentityHeaders.SUBJECT, IdentityHeaders.GROUPS);

  private final SecurityConfig config;
  private final JwtAuthenticator jwt;
  private final ApiKeyAuthenticator apiKeys;
  private final BasicAuthenticator basic;
  private final AccessRules rules;
  private final Set<String> stripHeaders;
  private final Set<String> stripQuery;
  private final String challenge;
  private final String invalidChallenge;

  SecurityPlan(
      SecurityConfig config,
      JwtAuthenticator jwt,
      ApiKeyAuthenticator apiKeys,
      BasicAuthenticator basic) {
    this.config = config;
    this.jwt = jwt;
    this.apiKeys = apiKeys;
    this.basic = basic;
    this.rules = new AccessRules(config.deny(), config.allow());
    Set<String> headers = new HashSet<>(IDENTITY_HEADERS);
    Set<String> query = new HashSet<>();
    if (config.jwt() != null) {
      config.jwt().issuers().forEach(i -> i.claimHeaders().forEach(h -> headers.add(h.header())));
    }
    if (!config.forwardCredential()) {
      if (config.jwt() != null) {
        headers.add(config.jwt().header());
        if (config.jwt().queryParam() != null) {
          query.add(config.jwt().queryParam());
        }
      }
      if (config.apiKey() != null) {
        headers.add(config.apiKey().header());
        if (config.apiKey().queryParam() != null) {
          query.add(config.apiKey().queryParam());
        }
      }
      if (config.basic() != null) {
        headers.add("authorization");
      }
    }
    this.stripHeaders = Set.copyOf(headers);
    this.stripQuery = Set.copyOf(query);
    List<String> challenges = new ArrayList<>();
    if (config.jwt() != null) {
      challenges.add("Bearer realm=\"portico\"");
    }
    if (config.basic() != null) {
      challenges.add("Basic realm=\"" + config.basic().realm() + "\", charset=\"UTF-8\"");
    }
    if (config.apiKey() != null) {
      challenges.add("ApiKey realm=\"portico\", header=\"" + config.apiKey().header() + "\"");
    }
    this.challenge = challenges.isEmpty() ? null : String.join(", ", challenges);
    // RFC 6750 section 3.1: a bad token is "invalid_token", without saying what was wrong.
    this.invalidChallenge =
        config.jwt() == null
            ? challenge
            : challenge.replace(
                "Bearer realm=\"portico\"", "Bearer realm=\"portico\", error=\"invalid_token\"");
  }

  public SecurityConfig config() {
    return config;
  }

  /**
   * Client headers never sent upstream (lower case): identity headers, claim headers, credentials.
   */
  public Set<String> stripHeaders() {
    return stripHeaders;
  }

  /** Query parameters never sent upstream: credentials, unless forwarded. */
  public Set<String> stripQuery() {
    return stripQuery;
  }

  /** Whether access rules look at the client address. */
  public boolean needsClientAddress() {
    return rules.needsClientAddress();
  }

  /**
   * Authenticates and authorizes one request; completes at once except for a first JWK Set fetch,
   * an unknown key id's refetch, or a bcrypt check.
   *
   * @param queryValue reads a query parameter of the request (decoded), or null
   */
  public Future<AuthOutcome> check(
      String method, MultiMap headers, Function<String, String> queryValue, String clientAddress) {
    Future<Identity> identity;
    String presented;
    if (jwt != null && (presented = token(headers, queryValue)) != null) {
      identity = jwt.verify(presented);
    } else if (apiKeys != null && (presented = apiKey(headers, queryValue)) != null) {
      try {
        identity = Future.succeededFuture(apiKeys.verify(presented));
      } catch (InvalidCredentialException e) {
        identity = Future.failedFuture(e);
      }
    } else if (basic != null && (presented = basicHeader(headers)) != null) {
      identity = basic.verify(presented);
    } else if (config.jwt() != null && headers.get(config.jwt().header()) != null
        || config.apiKey() != null && headers.get(config.apiKey().header()) != null) {
      // A credential header in a form no method accepts (e.g. "Authorization: Token x").
      identity = Future.failedFuture(new InvalidCredentialException("unusable credential"));
    } else if (!hasMethod() || config.allowAnonymous()) {
      identity = Future.succeededFuture(Identity.ANONYMOUS);
    } else {
      return Future.succeededFuture(
          AuthOutcome.unauthenticated(challenge, "this request needs credentials"));
    }
    Future<Identity> result = identity;
    if (result.isComplete()) {
      return Future.succeededFuture(decide(result, method, clientAddress));
    }
    return result.transform(ar -> Future.succeededFuture(decide(result, method, clientAddress)));
  }

  private AuthOutcome decide(Future<Identity> result, String method, String clientAddress) {
    if (result.failed()) {
      if (result.cause() instanceof KeysUnavailableException) {
        return AuthOutcome.unavailable("the credential cannot be checked now; retry later");
      }
      return AuthOutcome.unauthenticated(invalidChallenge, "the credential is not valid");
    }
    Identity identity = result.result();
    if (rules.isEmpty()) {
      return AuthOutcome.admitted(identity);
    }
    AccessRules.Verdict verdict =
        rules.decide(
            new AccessRules.Request(
                method,
                rules.needsClientAddress() ? AddressRange.literal(clientAddress) : null,
                identity));
    return switch (verdict) {
      case ALLOWED -> AuthOutcome.admitted(identity);
      case DENIED -> AuthOutcome.forbidden();
      case NOT_ALLOWED ->
          identity.authenticated() || challenge == null
              ? AuthOutcome.forbidden()
              : AuthOutcome.unauthenticated(challenge, "this request needs credentials");
    };
  }

  private boolean hasMethod() {
    return jwt != null || apiKeys != null || basic != null;
  }

  private String token(MultiMap headers, Function<String, String> query) {
    String header = config.jwt().header();
    String value = headers.get(header);
    if (value != null) {
      if (!header.equals("authorization")) {
        return value.trim();
      }
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return value.substring(7).trim();
      }
    }
    String param = config.jwt().queryParam();
    return param == null || query == null ? null : query.apply(param);
  }

  private String apiKey(MultiMap headers, Function<String, String> query) {
    String value = headers.get(config.apiKey().header());
    if (value != null) {
      return value.trim();
    }
    String param = config.apiKey().queryParam();
    return param == null || query == null ? null : query.apply(param);
  }

  private static String basicHeader(MultiMap headers) {
    String value = headers.get("authorization");
    return value != null && value.regionMatches(true, 0, "Basic ", 0, 6) ? value : null;
  }
}
