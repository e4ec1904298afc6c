/**
 * Reading Kubernetes manifests from YAML files into a {@link dev.portico.compiler.ResourceBundle}:
 * the intake of standalone mode, the offline {@code validate}/{@code translate} commands and the
 * compiler's golden tests.
 */
package dev.portico.manifest;
