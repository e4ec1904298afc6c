package dev.portico.api.common;

/** Condition types and reasons written on every Portico resource's status. */
public final class Conditions {
  private Conditions() {}

  public static final String ACCEPTED = "Accepted";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String PROGRAMMED = "Programmed";
  public static final String READY = "Ready";

  /** RateLimitPolicy only: every limit of the policy is enforced by the DataPlane's replicas. */
  public static final String ENFORCED = "Enforced";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /** Reasons. CamelCase constants, stable across releases: automation may match on them. */
  public static final class Reasons {
    private Reasons() {}

    public static final String ACCEPTED = "Accepted";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String PROGRAMMED = "Programmed";
    public static final String PENDING = "Pending";
    public static final String READY = "Ready";
    public static final String NOT_READY = "NotReady";
    public static final String INVALID = "Invalid";
    public static final String CONFLICTED = "Conflicted";
    public static final String NOT_ALLOWED_BY_LISTENERS = "NotAllowedByListeners";
    public static final String NO_MATCHING_PARENT = "NoMatchingParent";
    public static final String NO_MATCHING_LISTENER_HOSTNAME = "NoMatchingListenerHostname";
    public static final String BACKEND_NOT_FOUND = "BackendNotFound";
    public static final String REF_NOT_PERMITTED = "RefNotPermitted";
    public static final String TARGET_NOT_FOUND = "TargetNotFound";
    public static final String INVALID_TARGET = "InvalidTarget";
    public static final String INVALID_CERTIFICATE_REF = "InvalidCertificateRef";
    public static final String ENFORCED = "Enforced";
    public static final String GLOBAL_STORE_UNAVAILABLE = "GlobalStoreUnavailable";
    public static final String INVALID_SECRET_REF = "InvalidSecretRef";

    /**
     * A route's (or a DataPlane's default) security names a Secret that is missing, unlabelled or
     * malformed (a JWK Set that does not parse, an API key too short, an htpasswd line that is not
     * bcrypt). The rule stays protected: without the material, no credential passes.
     */
    public static final String INVALID_AUTH_SECRET_REF = "InvalidAuthSecretRef";
  }
}
