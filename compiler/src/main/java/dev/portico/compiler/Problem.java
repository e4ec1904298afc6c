package dev.portico.compiler;

/** Why something was refused: a CamelCase reason and a message that says what to fix. */
record Problem(String reason, String message) {}
