/**
 * The offline {@code portico validate|translate} command that GitOps pipelines run before merge.
 */
package dev.portico.cli;
