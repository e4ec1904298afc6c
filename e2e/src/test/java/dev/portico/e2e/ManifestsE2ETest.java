package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portico.e2e.cluster.Helm;
import dev.portico.e2e.cluster.KubeCluster;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.Project;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The install a cluster admin runs, {@code kubectl apply -k manifests/} or the Helm chart: a real
 * API server accepts every object, the operator's pods pass the restricted Pod Security level, and
 * RBAC gives the operator, namespace editors and viewers exactly what docs/install.md promises.
 */
@KubeE2E
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManifestsE2ETest {
  private static final String SYSTEM_NAMESPACE = "portico-system";
  private static final String OPERATOR = "system:serviceaccount:portico-system:portico-operator";
  private static final String OPERATOR_LABEL = "app.kubernetes.io/name=portico-operator";
  private static final Duration CONTROLLER_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern DRY_RUN_LINE =
      Pattern.compile("\\S+/\\S+ (created|configured|unchanged) \\(server dry run\\)");

  /** The kustomization minus the CRDs, applied for real by {@link #install}; null until then. */
  private static Path installed;

  private static boolean createdSystemNamespace;

  // ---- manifests/ ------------------------------------------------------------------------------

  /** First: once {@link #install} ran, kubectl sends nothing for unchanged objects. */
  @Test
  @Order(1)
  void kustomizationIsAcceptedByServerDryRun(KubernetesClient client, Kubectl kubectl) {
    List<HasMetadata> objects = load(client, kustomize(kubectl));
    awaitSystemNamespaceNotTerminating(client);
    // A dry run creates nothing, so the namespace the other objects go to must really exist.
    if (client.namespaces().withName(SYSTEM_NAMESPACE).get() == null) {
      client.resource(only(objects, Namespace.class)).create();
      createdSystemNamespace = true;
    }

    Kubectl.Result apply = kubectl.run("apply", "--dry-run=server", "-k", manifests().toString());

    assertThat(apply.exitCode()).as(apply.transcript()).isZero();
    assertThat(apply.stdout().lines().toList())
        .as(apply.transcript())
        .hasSameSizeAs(objects)
        .allMatch(DRY_RUN_LINE.asMatchPredicate());
    assertThat(objects.stream().map(ManifestsE2ETest::key))
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition//dataplanes.portico.dev",
            "CustomResourceDefinition//gatewayroutes.portico.dev",
            "CustomResourceDefinition//ratelimitpolicies.portico.dev",
            "Namespace//portico-system",
            "ServiceAccount/portico-system/portico-operator",
            "ClusterRole//portico-operator",
            "ClusterRoleBinding//portico-operator",
            "Role/portico-system/portico-operator-leader-election",
            "RoleBinding/portico-system/portico-operator-leader-election",
            "Role/portico-system/portico-operator-channel-ca",
            "RoleBinding/portico-system/portico-operator-channel-ca",
            "Role/portico-system/portico-operator-last-good",
            "RoleBinding/portico-system/portico-operator-last-good",
            "ClusterRole//portico-dataplane",
            "ClusterRole//portico-route-editor",
            "ClusterRole//portico-route-viewer",
            "Deployment/portico-system/portico-operator",
            "Service/portico-system/portico-operator",
            "Service/portico-system/portico-operator-channel",
            "PodDisruptionBudget/portico-system/portico-operator");
    for (HasMetadata o : objects) {
      assertThat(o.getMetadata().getLabels())
          .as("labels of %s", key(o))
          .containsEntry("app.kubernetes.io/part-of", "portico");
      // The CRDs are generated and the chart ships them byte for byte, so they carry only
      // part-of; docs/install.md's uninstall keeps them by selecting on the name label.
      if (o instanceof CustomResourceDefinition) {
        assertThat(o.getMetadata().getLabels())
            .as("labels of %s", key(o))
            .doesNotContainKey("app.kubernetes.io/name");
      } else {
        assertThat(o.getMetadata().getLabels())
            .as("labels of %s", key(o))
            .containsKey("app.kubernetes.io/name");
      }
    }
  }

  /**
   * Data-plane pods dial {@code https://portico-operator-channel.<namespace>.svc:9090}: that
   * Service carries the port to the channel of the leading replica only, the one pod the leader
   * labels {@code portico.dev/channel-leader=true}, because only the leader writes status and so
   * must receive the replicas' acknowledgements. {@code portico-operator} keeps only the admin port
   * (metrics from every replica) and must never load-balance the channel across replicas.
   */
  @Test
  void serviceExposesTheSnapshotChannel(KubernetesClient client, Kubectl kubectl) {
    List<HasMetadata> objects = load(client, kustomize(kubectl));

    var container =
        only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs())
        .containsSubsequence("--admin-port", "8081")
        .containsSubsequence("--channel-port", "9090");
    assertThat(container.getPorts())
        .extracting(p -> p.getName() + "=" + p.getContainerPort() + "/" + p.getProtocol())
        .containsExactlyInAnyOrder("admin=8081/TCP", "channel=9090/TCP");

    Service admin = service(objects, "portico-operator");
    assertThat(admin.getSpec().getSelector())
        .containsOnly(Map.entry("app.kubernetes.io/name", "portico-operator"));
    assertThat(admin.getSpec().getPorts())
        .extracting(p -> p.getName() + "=" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("admin=8081->admin");

    Service channel = service(objects, "portico-operator-channel");
    assertThat(channel.getSpec().getSelector())
        .containsOnly(
            Map.entry("app.kubernetes.io/name", "portico-operator"),
            Map.entry("portico.dev/channel-leader", "true"));
    assertThat(channel.getSpec().getPorts())
        .extracting(p -> p.getName() + "=" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("channel=9090->channel");
    // Only the operator sets the label, at runtime: a pod created with it would receive the
    // channel without being the leader.
    assertThat(only(objects, Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey("portico.dev/channel-leader");
  }

  @Test
  void operatorPodsPassTheRestrictedPodSecurityLevel(
      KubeCluster cluster, KubernetesClient client, Kubectl kubectl) {
    install(cluster);

    // No scheduler or kubelet runs, so the pods stay Pending; that the ReplicaSet controller could
    // create them at all means Pod Security admission let them in.
    Poll.until(
        "2 operator pods in " + SYSTEM_NAMESPACE,
        CONTROLLER_TIMEOUT,
        () -> operatorPods(client) == 2,
        () -> {},
        () ->
            kubectl
                .run("describe", "replicasets", "-n", SYSTEM_NAMESPACE, "-l", OPERATOR_LABEL)
                .transcript());
    // The control: the namespace really enforces the level, and an ordinary pod is refused.
    Kubectl.Result plainPod =
        kubectl.run(
            "run",
            "psa-check",
            "--image=registry.k8s.io/pause:3.10",
            "--restart=Never",
            "-n",
            SYSTEM_NAMESPACE,
            "--dry-run=server");
    assertThat(plainPod.exitCode()).as(plainPod.transcript()).isNotZero();
    assertThat(plainPod.stderr()).as(plainPod.transcript()).contains("violates PodSecurity");
  }

  @Test
  void namespaceEditorsManageRoutesButNotDataPlanes(
      KubeCluster cluster, KubernetesClient client, Kubectl kubectl, TestNamespace ns) {
    install(cluster);
    awaitAggregated(client, "edit", "portico-route-editor", "portico-route-viewer");
    awaitAggregated(client, "admin", "portico-route-editor", "portico-route-viewer");
    bind(client, ns, "edit", "alice");
    bind(client, ns, "admin", "carol");
    String in = "-n " + ns.name();

    SoftAssertions.assertSoftly(
        s -> {
          for (String name : List.of("alice", "carol")) {
            Access user = new Access(s, kubectl, name);
            user.allowed("create gatewayroutes.portico.dev " + in);
            user.allowed("update gatewayroutes.portico.dev " + in);
            user.allowed("create ratelimitpolicies.portico.dev " + in);
            user.allowed("deletecollection ratelimitpolicies.portico.dev " + in);
            user.allowed("get dataplanes.portico.dev " + in);
            user.allowed("list dataplanes.portico.dev " + in);
            user.allowed("get gatewayroutes.portico.dev/x " + in);
            user.denied("create dataplanes.portico.dev " + in);
            user.denied("patch dataplanes.portico.dev " + in);
            user.denied("delete dataplanes.portico.dev " + in);
            // Status is the operator's verdict; a team cannot mark its own route Accepted.
            user.denied("patch gatewayroutes.portico.dev --subresource=status " + in);
            user.denied("create gatewayroutes.portico.dev -n default");
          }
        });
  }

  @Test
  void namespaceViewersOnlyRead(
      KubeCluster cluster, KubernetesClient client, Kubectl kubectl, TestNamespace ns) {
    install(cluster);
    awaitAggregated(client, "view", "portico-route-viewer");
    bind(client, ns, "view", "bob");
    String in = "-n " + ns.name();

    SoftAssertions.assertSoftly(
        s -> {
          Access bob = new Access(s, kubectl, "bob");
          bob.allowed("get gatewayroutes.portico.dev " + in);
          bob.allowed("watch ratelimitpolicies.portico.dev " + in);
          bob.allowed("list dataplanes.portico.dev " + in);
          bob.allowed("get gatewayroutes.portico.dev --subresource=status " + in);
          bob.denied("create gatewayroutes.portico.dev " + in);
          bob.denied("delete ratelimitpolicies.portico.dev " + in);
          bob.denied("get gatewayroutes.portico.dev -n default");
        });
  }

  @Test
  void operatorHoldsWhatItUsesAndNothingMore(
      KubeCluster cluster, Kubectl kubectl, TestNamespace ns) {
    install(cluster);
    String in = "-n " + ns.name();
    String system = "-n " + SYSTEM_NAMESPACE;

    SoftAssertions.assertSoftly(
        s -> {
          Access operator = new Access(s, kubectl, OPERATOR);
          operator.allowed("watch gatewayroutes.portico.dev -A");
          operator.allowed("patch gatewayroutes.portico.dev --subresource=status -A");
          operator.allowed("update ratelimitpolicies.portico.dev --subresource=status " + in);
          operator.allowed("update dataplanes.portico.dev --subresource=finalizers " + in);
          // No spec mutation: GitOps tools would fight the operator over every field it touched.
          operator.denied("patch gatewayroutes.portico.dev " + in);
          operator.denied("patch ratelimitpolicies.portico.dev " + in);
          operator.allowed("create deployments.apps " + in);
          operator.allowed("delete poddisruptionbudgets.policy " + in);
          operator.allowed("create serviceaccounts " + in);
          operator.allowed("patch services " + in);
          operator.allowed("list namespaces");
          operator.allowed("watch referencegrants.gateway.networking.k8s.io -A");
          operator.allowed("create events " + in);
          operator.allowed("patch events.events.k8s.io " + in);
          // The channel CA's certificate, handed to each DataPlane's pods.
          operator.allowed("create configmaps " + in);
          operator.allowed("patch configmaps " + in);
          operator.allowed("delete configmaps " + in);
          operator.allowed("watch configmaps -A");
          operator.allowed("delete clusterrolebindings");
          operator.allowed("bind clusterroles/portico-dataplane");
          operator.denied("bind clusterroles/cluster-admin");
          operator.denied("create clusterroles");
          operator.denied("escalate clusterroles");
          // Replicas authenticate to the snapshot channel with audience-bound tokens.
          operator.allowed("create tokenreviews.authentication.k8s.io");
          operator.denied("create subjectaccessreviews.authorization.k8s.io");
          // Secrets written only in the operator's own namespace: the channel CA and the last known
          // good snapshots, whose names RBAC cannot foresee (a hash per DataPlane), hence every
          // name there. Elsewhere only list and watch, for the certificates of HTTPS listeners
          // (the informer's field selector keeps it to kubernetes.io/tls Secrets): no get, no
          // writes.
          operator.allowed("get secrets/portico-channel-ca " + system);
          operator.allowed("create secrets " + system);
          operator.allowed("get secrets/portico-lkg-0123456789-0 " + system);
          operator.allowed("update secrets/portico-lkg-0123456789-7 " + system);
          operator.allowed("delete secrets/portico-lkg-0123456789-7 " + system);
          operator.denied("get secrets -A");
          operator.allowed("list secrets -A");
          operator.allowed("watch secrets -A");
          operator.allowed("watch secrets " + in);
          operator.denied("patch secrets/portico-channel-ca " + system);
          operator.denied("create secrets " + in);
          operator.denied("get secrets " + in);
          operator.denied("update secrets " + in);
          operator.denied("delete secrets " + in);
          operator.denied("get secrets/portico-channel-ca " + in);
          operator.denied("delete secrets/portico-lkg-0123456789-0 " + in);
          // Per DataPlane, a Role and RoleBinding to read its chunks: in its own namespace only.
          operator.allowed("create roles.rbac.authorization.k8s.io " + system);
          operator.allowed("patch roles.rbac.authorization.k8s.io " + system);
          operator.allowed("watch roles.rbac.authorization.k8s.io " + system);
          operator.allowed("delete rolebindings.rbac.authorization.k8s.io " + system);
          operator.allowed("create rolebindings.rbac.authorization.k8s.io " + system);
          operator.denied("create roles.rbac.authorization.k8s.io " + in);
          operator.denied("create rolebindings.rbac.authorization.k8s.io " + in);
          operator.denied("escalate roles.rbac.authorization.k8s.io " + system);
          operator.denied("bind roles.rbac.authorization.k8s.io " + system);
          operator.denied("list endpointslices.discovery.k8s.io -A");
          operator.denied("create pods " + in);
          // The leader labels its own pod for portico-operator-channel, in its own namespace only.
          operator.allowed("get pods " + system);
          operator.allowed("list pods " + system);
          operator.allowed("patch pods " + system);
          operator.denied("patch pods " + in);
          operator.denied("list pods -A");
          operator.denied("create pods " + system);
          operator.denied("delete pods " + system);
          operator.denied("update pods " + system);
          operator.denied("watch pods " + system);
          operator.denied("delete namespaces");
          operator.allowed("create leases.coordination.k8s.io " + system);
          operator.allowed("update leases.coordination.k8s.io/portico-operator " + system);
          operator.allowed("patch leases.coordination.k8s.io/portico-operator " + system);
          operator.denied("update leases.coordination.k8s.io/someone-else " + system);
          operator.denied("create leases.coordination.k8s.io " + in);
        });
  }

  /** What the operator does for each DataPlane, done as the operator: RBAC lets it, and no more. */
  @Test
  void operatorGrantsDataPlanesTheirRoleAndNoOther(
      KubeCluster cluster, KubernetesClient client, Kubectl kubectl, TestNamespace ns) {
    install(cluster);
    String binding = "portico-dataplane-" + ns.name();
    String gateway = "system:serviceaccount:" + ns.name() + ":gateway";
    String in = "-n " + ns.name();
    String system = "-n " + SYSTEM_NAMESPACE;
    // The Role and RoleBinding that let one DataPlane's pods read its last known good snapshot.
    String lastGood = "portico-lkg-" + ns.name();

    Kubectl.Result escalation =
        kubectl.run(
            "create",
            "clusterrolebinding",
            binding,
            "--clusterrole=cluster-admin",
            "--serviceaccount=" + ns.name() + ":gateway",
            "--as=" + OPERATOR,
            "--dry-run=server");
    assertThat(escalation.exitCode()).as(escalation.transcript()).isNotZero();
    assertThat(escalation.stderr()).as(escalation.transcript()).contains("forbidden");
    // In its own namespace the operator may write Roles, but grant only what it holds itself
    // (it holds list and watch on Secrets, for certificates, but no patch).
    String sa = "--serviceaccount=" + ns.name() + ":gateway";
    for (List<String> more :
        List.of(
            List.of("role", lastGood, "--verb=patch", "--resource=secrets"),
            List.of("role", lastGood, "--verb=delete", "--resource=pods"),
            List.of("rolebinding", lastGood, "--clusterrole=cluster-admin", sa),
            List.of("rolebinding", lastGood, "--clusterrole=edit", sa))) {
      List<String> args = new ArrayList<>(List.of("create"));
      args.addAll(more);
      args.addAll(List.of("-n", SYSTEM_NAMESPACE, "--as=" + OPERATOR, "--dry-run=server"));
      Kubectl.Result denied = kubectl.run(args.toArray(String[]::new));
      assertThat(denied.exitCode()).as(denied.transcript()).isNotZero();
      assertThat(denied.stderr()).as(denied.transcript()).contains("forbidden");
    }

    try {
      Kubectl.Result grant =
          kubectl.run(
              "create",
              "clusterrolebinding",
              binding,
              "--clusterrole=portico-dataplane",
              "--serviceaccount=" + ns.name() + ":gateway",
              "--as=" + OPERATOR);
      assertThat(grant.exitCode()).as(grant.transcript()).isZero();
      Kubectl.Result role =
          kubectl.run(
              "create",
              "role",
              lastGood,
              "--verb=get",
              "--resource=secrets",
              "--resource-name=" + lastGood + "-0",
              "--resource-name=" + lastGood + "-1",
              "-n",
              SYSTEM_NAMESPACE,
              "--as=" + OPERATOR);
      assertThat(role.exitCode()).as(role.transcript()).isZero();
      Kubectl.Result roleBinding =
          kubectl.run(
              "create",
              "rolebinding",
              lastGood,
              "--role=" + lastGood,
              sa,
              "-n",
              SYSTEM_NAMESPACE,
              "--as=" + OPERATOR);
      assertThat(roleBinding.exitCode()).as(roleBinding.transcript()).isZero();
      SoftAssertions.assertSoftly(
          s -> {
            Access dataPlane = new Access(s, kubectl, gateway);
            dataPlane.allowed("watch endpointslices.discovery.k8s.io -A");
            dataPlane.allowed("list services -A");
            dataPlane.denied("get secrets " + in);
            // Its own last known good snapshot, by name; nothing else in the operator's namespace.
            dataPlane.allowed("get secrets/" + lastGood + "-0 " + system);
            dataPlane.allowed("get secrets/" + lastGood + "-1 " + system);
            dataPlane.denied("get secrets/portico-lkg-another-0 " + system);
            dataPlane.denied("list secrets " + system);
            dataPlane.denied("update secrets/" + lastGood + "-0 " + system);
            // The channel CA's key stays with the operator; the pods get only the certificate.
            dataPlane.denied("get secrets/portico-channel-ca " + system);
            dataPlane.denied("list gatewayroutes.portico.dev -A");
          });
    } finally {
      client.rbac().clusterRoleBindings().withName(binding).delete();
      client.rbac().roleBindings().inNamespace(SYSTEM_NAMESPACE).withName(lastGood).delete();
      client.rbac().roles().inNamespace(SYSTEM_NAMESPACE).withName(lastGood).delete();
    }
  }

  // ---- charts/portico --------------------------------------------------------------------------

  @Test
  void chartCrdsAreIdenticalToCrds() throws IOException {
    Path chartCrds = Project.root().resolve("charts/portico/crds");
    List<String> chartFiles;
    try (Stream<Path> files = Files.list(chartCrds)) {
      chartFiles = files.map(f -> f.getFileName().toString()).sorted().toList();
    }

    assertThat(chartFiles)
        .as("charts/portico/crds must hold exactly crds/*.portico.dev.yaml")
        .containsExactlyElementsOf(
            Project.porticoCrds().stream().map(f -> f.getFileName().toString()).toList());
    for (Path crd : Project.porticoCrds()) {
      assertThat(chartCrds.resolve(crd.getFileName()))
          .as("stale chart CRD; run: cp crds/*.portico.dev.yaml charts/portico/crds/")
          .hasSameBinaryContentAs(crd);
    }
  }

  @Test
  void chartInstallsWhatTheKustomizationInstalls(KubernetesClient client, Kubectl kubectl) {
    Helm helm = Helm.buildOrReuse();
    Kubectl.Result lint = helm.run("lint", "--strict", chart().toString());
    assertThat(lint.exitCode()).as(lint.transcript()).isZero();

    Map<String, HasMetadata> fromChart = byKey(load(client, template(helm, SYSTEM_NAMESPACE)));
    Map<String, HasMetadata> fromKustomize = byKey(load(client, kustomize(kubectl)));
    // Helm installs CRDs from crds/ (compared byte for byte above) and into a namespace that
    // `helm install --create-namespace` or the admin creates.
    fromKustomize.keySet().removeIf(k -> k.startsWith("CustomResourceDefinition/"));
    fromKustomize.keySet().removeIf(k -> k.startsWith("Namespace/"));

    assertThat(fromChart.keySet()).containsExactlyInAnyOrderElementsOf(fromKustomize.keySet());
    SoftAssertions.assertSoftly(
        s -> {
          for (HasMetadata expected : fromKustomize.values()) {
            HasMetadata actual = fromChart.get(key(expected));
            s.assertThat(actual.getMetadata().getLabels())
                .as("labels of %s", key(expected))
                .containsAllEntriesOf(expected.getMetadata().getLabels());
            // Helm adds its own labels (instance, version, chart); everything else is the same.
            s.assertThat(withoutLabels(client, actual))
                .as("%s from the chart and from manifests/", key(expected))
                .isEqualTo(withoutLabels(client, expected));
          }
        });
  }

  @Test
  void chartIsAcceptedByServerDryRun(KubernetesClient client, Kubectl kubectl, TestNamespace ns)
      throws IOException {
    String rendered = template(Helm.buildOrReuse(), ns.name(), "--include-crds");
    Path file = Files.createTempFile("portico-chart", ".yaml");
    try {
      Files.writeString(file, rendered);

      Kubectl.Result apply = kubectl.run("apply", "--dry-run=server", "-f", file.toString());

      assertThat(apply.exitCode()).as(apply.transcript()).isZero();
      assertThat(apply.stdout().lines().toList())
          .as(apply.transcript())
          .hasSameSizeAs(load(client, rendered))
          .allMatch(DRY_RUN_LINE.asMatchPredicate());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void chartValuesReachTheOperator(KubernetesClient client) {
    List<HasMetadata> objects =
        load(
            client,
            template(
                Helm.buildOrReuse(),
                "gateway",
                "--set",
                "replicas=1",
                "--set",
                "watchNamespaces={team-a,team-b}",
                "--set",
                "image.tag=1.2.3",
                "--set",
                "dataplaneImage.repository=registry.example/portico-dataplane",
                "--set",
                "dataplaneImage.tag=9.9.9",
                "--set",
                "resources.limits.memory=1Gi"));

    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/portico-dev/portico-operator:1.2.3");
    assertThat(container.getArgs())
        .containsSubsequence("--watch-namespaces", "team-a,team-b")
        .containsSubsequence("--dataplane-image", "registry.example/portico-dataplane:9.9.9");
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(only(objects, ClusterRoleBinding.class).getSubjects().get(0).getNamespace())
        .isEqualTo("gateway");
    assertThat(objects.stream().map(HasMetadata::getKind))
        .as("one replica: a PodDisruptionBudget of minAvailable 1 would block every drain")
        .doesNotContain("PodDisruptionBudget");
  }

  // ---- install and clean up --------------------------------------------------------------------

  /**
   * Applies the kustomization for real, except the CRDs: the suite installed those already and
   * other test classes need them. Only on the suite's own control plane, whose cluster-wide objects
   * it owns; a KUBECONFIG cluster may run Portico already.
   */
  private static synchronized void install(KubeCluster cluster) {
    assumeTrue(
        cluster.isLocal(),
        "installs cluster-wide RBAC named portico-*: only on the suite's own control plane");
    if (installed != null) {
      return;
    }
    awaitSystemNamespaceNotTerminating(cluster.client());
    String withoutCrds =
        Arrays.stream(kustomize(cluster.kubectl()).split("(?m)^---\n"))
            .filter(doc -> !doc.contains("\nkind: CustomResourceDefinition\n"))
            .collect(Collectors.joining("---\n"));
    try {
      installed = Files.createTempFile("portico-install", ".yaml");
      Files.writeString(installed, withoutCrds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Kubectl.Result apply = cluster.kubectl().run("apply", "-f", installed.toString());
    assertThat(apply.exitCode()).as(apply.transcript()).isZero();
  }

  /**
   * Waits until portico-system is gone: examples/tenancy puts a DataPlane there, and a namespace
   * still terminating refuses new objects, even in a dry run.
   */
  @AfterAll
  static void uninstall(KubernetesClient client, Kubectl kubectl) throws IOException {
    if (installed != null) {
      Kubectl.Result delete =
          kubectl.run("delete", "--ignore-not-found", "--wait=false", "-f", installed.toString());
      Files.deleteIfExists(installed);
      installed = null;
      assertThat(delete.exitCode()).as(delete.transcript()).isZero();
    } else if (createdSystemNamespace) {
      client.namespaces().withName(SYSTEM_NAMESPACE).delete();
    } else {
      return;
    }
    createdSystemNamespace = false;
    Poll.until(
        "namespace " + SYSTEM_NAMESPACE + " to be deleted",
        CONTROLLER_TIMEOUT,
        () -> client.namespaces().withName(SYSTEM_NAMESPACE).get() == null);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /**
   * Asks the API server (a SubjectAccessReview through {@code kubectl auth can-i --as}) whether a
   * subject may make a request, given in kubectl's words ({@code "get secrets -A"}), and records
   * the answer as a soft assertion.
   */
  private record Access(SoftAssertions softly, Kubectl kubectl, String subject) {
    void allowed(String request) {
      check(request, true);
    }

    void denied(String request) {
      check(request, false);
    }

    private void check(String request, boolean expected) {
      List<String> args = new ArrayList<>(List.of("auth", "can-i"));
      args.addAll(List.of(request.split(" ")));
      args.add("--as=" + subject);
      Kubectl.Result answer = kubectl.run(args.toArray(String[]::new));
      // An unresolved resource is checked as group "" and denied: a "no" that proves nothing.
      if (answer.stderr().contains("doesn't have a resource type")) {
        softly.fail("kubectl did not resolve the resource:\n" + answer.transcript());
        return;
      }
      String out = answer.stdout().trim();
      boolean yes = answer.exitCode() == 0 && out.equals("yes");
      boolean no = answer.exitCode() == 1 && out.startsWith("no");
      if (!yes && !no) {
        softly.fail("kubectl auth can-i gave no answer:\n" + answer.transcript());
        return;
      }
      softly.assertThat(yes).as("%s may %s", subject, request).isEqualTo(expected);
    }
  }

  /**
   * examples/tenancy also uses portico-system, and its test deletes the namespace without waiting;
   * a namespace still terminating refuses new objects, even in a dry run.
   */
  private static void awaitSystemNamespaceNotTerminating(KubernetesClient client) {
    Poll.until(
        "namespace " + SYSTEM_NAMESPACE + " to finish terminating",
        CONTROLLER_TIMEOUT,
        () -> {
          Namespace namespace = client.namespaces().withName(SYSTEM_NAMESPACE).get();
          return namespace == null || namespace.getMetadata().getDeletionTimestamp() == null;
        });
  }

  /** Waits for the clusterrole-aggregation controller to copy {@code parts}' rules into a role. */
  private static void awaitAggregated(KubernetesClient client, String aggregate, String... parts) {
    Poll.until(
        "ClusterRole " + aggregate + " to aggregate " + String.join(", ", parts),
        CONTROLLER_TIMEOUT,
        () -> {
          List<PolicyRule> rules =
              client.rbac().clusterRoles().withName(aggregate).get().getRules();
          return Stream.of(parts)
              .allMatch(
                  part ->
                      rules.containsAll(
                          client.rbac().clusterRoles().withName(part).get().getRules()));
        });
  }

  private static void bind(
      KubernetesClient client, TestNamespace ns, String clusterRole, String user) {
    client
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(clusterRole + "-" + user)
                .withNamespace(ns.name())
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName(clusterRole)
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(user)
                .endSubject()
                .build())
        .create();
  }

  private static int operatorPods(KubernetesClient client) {
    return client
        .pods()
        .inNamespace(SYSTEM_NAMESPACE)
        .withLabel("app.kubernetes.io/name", "portico-operator")
        .list()
        .getItems()
        .size();
  }

  private static Path manifests() {
    return Project.root().resolve("manifests");
  }

  private static Path chart() {
    return Project.root().resolve("charts/portico");
  }

  private static String kustomize(Kubectl kubectl) {
    Kubectl.Result build = kubectl.run("kustomize", manifests().toString());
    assertThat(build.exitCode()).as(build.transcript()).isZero();
    return build.stdout();
  }

  private static String template(Helm helm, String namespace, String... options) {
    List<String> args =
        new ArrayList<>(List.of("template", "portico", chart().toString(), "-n", namespace));
    args.addAll(List.of(options));
    Kubectl.Result render = helm.run(args.toArray(String[]::new));
    assertThat(render.exitCode()).as(render.transcript()).isZero();
    return render.stdout();
  }

  private static List<HasMetadata> load(KubernetesClient client, String yaml) {
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("objects of kind %s", type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }

  private static Service service(List<HasMetadata> objects, String name) {
    List<Service> matching =
        objects.stream()
            .filter(Service.class::isInstance)
            .map(Service.class::cast)
            .filter(o -> o.getMetadata().getName().equals(name))
            .toList();
    assertThat(matching).as("Service %s", name).hasSize(1);
    return matching.get(0);
  }

  /** Kind/namespace/name; the namespace is empty for cluster-scoped objects. */
  private static String key(HasMetadata o) {
    String namespace = o.getMetadata().getNamespace();
    return o.getKind()
        + "/"
        + (namespace == null ? "" : namespace)
        + "/"
        + o.getMetadata().getName();
  }

  private static Map<String, HasMetadata> byKey(List<HasMetadata> objects) {
    Map<String, HasMetadata> map = new LinkedHashMap<>();
    objects.forEach(o -> map.put(key(o), o));
    return map;
  }

  /** The object as a JSON tree without its labels and its pod template's labels. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutLabels(KubernetesClient client, HasMetadata o) {
    Map<String, Object> tree = client.getKubernetesSerialization().convertValue(o, Map.class);
    ((Map<String, Object>) tree.get("metadata")).remove("labels");
    if (tree.get("spec") instanceof Map<?, ?> spec
        && spec.get("template") instanceof Map<?, ?> template
        && template.get("metadata") instanceof Map<?, ?> metadata) {
      metadata.remove("labels");
    }
    return tree;
  }
}
