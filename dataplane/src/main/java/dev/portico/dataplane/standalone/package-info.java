/**
 * Standalone mode: serve a folder of manifests without a cluster. The folder is compiled by the
 * operator's own compiler, endpoints come from EndpointSlices in the folder, and changes are
 * reloaded live (an invalid change is logged and the running snapshot stays).
 */
package dev.portico.dataplane.standalone;
