package dev.portico.snapshot;

/**
 * A path replacement.
 *
 * @param replacePrefix true: replace the prefix the rule's PathPrefix match matched; false: replace
 *     the whole path
 */
public record PathRewrite(boolean replacePrefix, String value) {}
