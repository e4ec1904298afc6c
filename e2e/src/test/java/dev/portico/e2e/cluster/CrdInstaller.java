package dev.portico.e2e.cluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Installs CRD files with server-side apply and waits until the API server serves them. */
public final class CrdInstaller {
  static final String FIELD_MANAGER = "portico-e2e";
  private static final Duration ESTABLISHED_TIMEOUT = Duration.ofSeconds(60);

  private CrdInstaller() {}

  /** Reads one CRD file. */
  public static CustomResourceDefinition load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Applies every file (or, with {@code onlyIfAbsent}, only those the cluster lacks) and waits
   * until each is Established. Returns the names it applied.
   */
  public static List<String> install(
      KubernetesClient client, List<Path> files, boolean onlyIfAbsent) {
    List<String> applied = new ArrayList<>();
    for (Path file : files) {
      CustomResourceDefinition crd = load(file);
      String name = crd.getMetadata().getName();
      if (onlyIfAbsent && crds(client).withName(name).get() != null) {
        continue;
      }
      try {
        client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      } catch (KubernetesClientException e) {
        // e.g. a CEL rule over the cost budget: the API server names the rule and the field.
        String reason = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
        throw new IllegalStateException(
            "the API server refused CRD " + name + " from " + file + ": " + reason, e);
      }
      applied.add(name);
    }
    for (String name : applied) {
      awaitEstablished(client, name);
    }
    return applied;
  }

  /** Waits until the CRD's Established condition is True, or fails with its conditions. */
  public static void awaitEstablished(KubernetesClient client, String name) {
    Poll.until(
        "CRD " + name + " to become Established",
        ESTABLISHED_TIMEOUT,
        () -> condition(crds(client).withName(name).get(), "Established").isPresent(),
        () -> {},
        () -> "conditions: " + conditions(crds(client).withName(name).get()));
  }

  /** The condition of {@code type} when its status is True. */
  public static Optional<CustomResourceDefinitionCondition> condition(
      CustomResourceDefinition crd, String type) {
    if (crd == null || crd.getStatus() == null || crd.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return crd.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static String conditions(CustomResourceDefinition crd) {
    if (crd == null || crd.getStatus() == null) {
      return "none (CRD missing or without status)";
    }
    return crd.getStatus().getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
        .toList()
        .toString();
  }

  private static NonNamespaceOperation<
          CustomResourceDefinition,
          CustomResourceDefinitionList,
          Resource<CustomResourceDefinition>>
      crds(KubernetesClient client) {
    return client.apiextensions().v1().customResourceDefinitions();
  }
}
