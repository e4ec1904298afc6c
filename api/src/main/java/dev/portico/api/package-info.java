/**
 * The custom resources users write (group {@code portico.dev}, version {@code v1alpha1}): the first
 * stage of the pipeline, read by the compiler.
 *
 * <p>The spec classes are plain data carriers that mirror the YAML schema one to one, so they use
 * public fields: the CRD generator and Jackson read them directly, and getters would only repeat
 * the schema. Every field carries a description and the admission-time constraints of the CRD.
 */
package dev.portico.api;
