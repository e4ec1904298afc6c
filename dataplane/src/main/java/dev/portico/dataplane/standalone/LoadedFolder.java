package dev.portico.dataplane.standalone;

import dev.portico.dataplane.upstream.Address;
import dev.portico.snapshot.Snapshot;
import java.util.List;
import java.util.Map;

/**
 * What {@link FolderLoader} made of a folder: the snapshot to serve and the static addresses of
 * each backend it names.
 *
 * @param endpoints addresses by backend key ({@code namespace/service:port})
 * @param warnings objects the compiler refused alone; the rest of the folder is served
 */
public record LoadedFolder(
    Snapshot snapshot, Map<String, List<Address>> endpoints, List<String> warnings) {}
