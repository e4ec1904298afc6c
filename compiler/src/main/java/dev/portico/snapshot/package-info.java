/**
 * The snapshot: the immutable, versioned configuration one DataPlane serves. It is what the
 * compiler produces, what the operator pushes and what standalone mode builds from files.
 *
 * <p>It knows neither Kubernetes (Fabric8) nor the data plane (Vert.x); an ArchUnit rule keeps it
 * that way. Lists are sorted by the compiler so that equal inputs give byte-identical snapshots.
 */
package dev.portico.snapshot;
