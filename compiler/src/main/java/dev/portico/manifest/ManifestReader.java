package dev.portico.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.route.GatewayRoute;
import dev.portico.compiler.CredentialSecret;
import dev.portico.compiler.ResourceBundle;
import dev.portico.compiler.TlsSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads multi-document YAML manifests. Portico's own kinds are read strictly: an unknown field is
 * an error that names the file and document, as a typo in a spec must never pass silently.
 */
public final class ManifestReader {
  private static final String PORTICO = "portico.dev/v1alpha1";

  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          PORTICO + "/DataPlane",
          DataPlane.class,
          PORTICO + "/GatewayRoute",
          GatewayRoute.class,
          PORTICO + "/RateLimitPolicy",
          RateLimitPolicy.class,
          "v1/Service",
          Service.class,
          "v1/Namespace",
          Namespace.class,
          "v1/Secret",
          Secret.class,
          "gateway.networking.k8s.io/v1beta1/ReferenceGrant",
          ReferenceGrant.class,
          "discovery.k8s.io/v1/EndpointSlice",
          EndpointSlice.class);

  private final ObjectMapper yaml =
      YAMLMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Reads one file, or every {@code .yaml}/{@code .yml} file below a folder, in name order. */
  public Manifests read(Path path) throws ManifestException {
    return read(List.of(path));
  }

  /** Reads several files or folders as one set of manifests. */
  public Manifests read(List<Path> paths) throws ManifestException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      files.addAll(files(path));
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        objects.addAll(parse(in, file.toString()));
      } catch (IOException e) {
        throw new ManifestException(file + ": " + e.getMessage(), e);
      }
    }
    return bundle(objects);
  }

  /** Parses one stream of YAML documents; {@code source} names it in errors. */
  public List<HasMetadata> parse(InputStream in, String source) throws ManifestException {
    List<HasMetadata> out = new ArrayList<>();
    int doc = 0;
    try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(in)) {
      while (docs.hasNext()) {
        doc++;
        JsonNode node = docs.next();
        if (node == null || node.isNull() || node.isEmpty()) {
          continue;
        }
        out.add(convert(node, source + " document " + doc));
      }
    } catch (IOException e) {
      throw new ManifestException(source + " document " + (doc + 1) + ": " + e.getMessage(), e);
    }
    return out;
  }

  private HasMetadata convert(JsonNode node, String where) throws ManifestException {
    if (!(node instanceof ObjectNode)
        || !node.hasNonNull("apiVersion")
        || !node.hasNonNull("kind")) {
      throw new ManifestException(where + ": needs apiVersion and kind");
    }
    String type = node.get("apiVersion").asText() + "/" + node.get("kind").asText();
    Class<? extends HasMetadata> cls = KINDS.get(type);
    if (cls == null) {
      throw new ManifestException(
          where
              + ": unsupported kind "
              + type
              + "; expected one of "
              + KINDS.keySet().stream().sorted().toList());
    }
    String nullAt = firstNullElement(node, "");
    if (nullAt != null) {
      throw new ManifestException(where + " (" + type + "): " + nullAt + " is an empty list item");
    }
    HasMetadata object;
    try {
      object = yaml.treeToValue(node, cls);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String message =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new ManifestException(where + " (" + type + "): " + message, e);
    }
    if (object.getMetadata() == null || object.getMetadata().getName() == null) {
      throw new ManifestException(where + " (" + type + "): metadata.name is required");
    }
    if (!(object instanceof Namespace) && object.getMetadata().getNamespace() == null) {
      object.getMetadata().setNamespace("default");
    }
    if (object instanceof Secret secret) {
      try {
        TlsSecret.of(secret);
      } catch (IllegalArgumentException e) {
        // The decoder's message may quote a character of the key: leave it out.
        throw new ManifestException(where + " (" + type + "): a data value is not valid base64");
      }
    }
    return object;
  }

  /**
   * The path of the first null list element, or null. An empty item ({@code - } or {@code [~]})
   * would reach the compiler as a null rule, match or backend; it is refused here, with its path.
   */
  private static String firstNullElement(JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String at = path + "[" + i + "]";
        String found = node.get(i).isNull() ? at : firstNullElement(node.get(i), at);
        if (found != null) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (var it = node.fields(); it.hasNext(); ) {
        var field = it.next();
        String found =
            firstNullElement(
                field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** Sorts objects into a bundle by kind. */
  public static Manifests bundle(List<HasMetadata> objects) {
    List<DataPlane> dataPlanes = new ArrayList<>();
    List<GatewayRoute> routes = new ArrayList<>();
    List<RateLimitPolicy> policies = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<Namespace> namespaces = new ArrayList<>();
    List<ReferenceGrant> grants = new ArrayList<>();
    List<TlsSecret> secrets = new ArrayList<>();
    List<CredentialSecret> credentials = new ArrayList<>();
    List<HasMetadata> others = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof DataPlane dp) {
        dataPlanes.add(dp);
      } else if (o instanceof GatewayRoute r) {
        routes.add(r);
      } else if (o instanceof RateLimitPolicy p) {
        policies.add(p);
      } else if (o instanceof Service s) {
        services.add(s);
      } else if (o instanceof Namespace n) {
        namespaces.add(n);
      } else if (o instanceof ReferenceGrant g) {
        grants.add(g);
      } else if (o instanceof Secret s) {
        secrets.add(TlsSecret.of(s));
        if (CredentialSecret.labelled(s)) {
          credentials.add(CredentialSecret.of(s));
        }
      } else {
        others.add(o);
      }
    }
    return new Manifests(
        new ResourceBundle(
            dataPlanes, routes, policies, services, namespaces, grants, secrets, credentials),
        others);
  }

  private static List<Path> files(Path path) throws ManifestException {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new ManifestException(path + ": no such file or folder");
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ManifestException(path + ": " + e.getMessage(), e);
    }
  }
}
