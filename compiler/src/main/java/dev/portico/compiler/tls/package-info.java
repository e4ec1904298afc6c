/**
 * Reading PEM certificates and private keys for HTTPS listeners: parsing, key formats and the check
 * that a key belongs to its certificate. In memory only; kept apart from the passes because PEM
 * parsing reads through {@code java.io} readers.
 */
package dev.portico.compiler.tls;
