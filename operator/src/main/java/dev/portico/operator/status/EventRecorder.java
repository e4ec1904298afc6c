package dev.portico.operator.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports condition transitions as Kubernetes Events on the object, so {@code kubectl describe}
 * shows when and why a route stopped being ready. Best effort: an Event that cannot be written is
 * logged and never fails the status write.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "portico-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(HasMetadata object, List<Transition> transitions) {
    for (Transition t : transitions) {
      create(
          object,
          t.warning() ? "Warning" : "Normal",
          t.reason(),
          t.type() + " is " + t.to() + ": " + t.message());
    }
  }

  /** A problem that is no condition's transition, such as a snapshot too large to store. */
  public void warning(HasMetadata object, String reason, String message) {
    create(object, "Warning", reason, message);
  }

  private void create(HasMetadata object, String type, String reason, String message) {
    String now =
        DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                object.getMetadata().getName()
                    + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()))
            .withNamespace(object.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withName(object.getMetadata().getName())
                    .withUid(object.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client
          .v1()
          .events()
          .inNamespace(object.getMetadata().getNamespace())
          .resource(event)
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}/{}: {}",
          reason,
          object.getMetadata().getNamespace(),
          object.getMetadata().getName(),
          e.getMessage());
    }
  }
}
