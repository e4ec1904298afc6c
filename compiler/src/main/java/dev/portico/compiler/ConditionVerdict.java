package dev.portico.compiler;

/**
 * One condition as the compiler decided it, without timestamps: the status writer adds
 * observedGeneration and lastTransitionTime when it patches.
 */
public record ConditionVerdict(String type, String status, String reason, String message) {
  /** Messages are for people and must stay under 1 KiB on the resource. */
  static final int MAX_MESSAGE = 1000;

  public ConditionVerdict {
    if (message != null && message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
  }
}
