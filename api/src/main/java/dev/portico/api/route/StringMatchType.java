package dev.portico.api.route;

/** How a header or query parameter value is compared. */
public enum StringMatchType {
  Exact,
  RegularExpression
}
