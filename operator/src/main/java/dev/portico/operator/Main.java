package dev.portico.operator;

import dev.portico.operator.admin.AdminServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the operator process: flags, client, admin port, pipeline, shutdown hook. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    OperatorOptions options;
    try {
      options = OperatorOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    KubernetesClient client = new KubernetesClientBuilder().build();
    PorticoOperator operator = new PorticoOperator(client, options, registry);
    AdminServer admin = new AdminServer(options.adminPort(), registry, operator::ready);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping");
                  operator.close();
                  admin.close();
                  client.close();
                  stopped.countDown();
                },
                "portico-shutdown"));
    LOG.info(
        "starting: namespaces={}, admin port {}, leader election {}",
        options.watchNamespaces().isEmpty() ? "all" : options.watchNamespaces(),
        admin.port(),
        options.leaseNamespace() == null ? "off" : "lease " + options.leaseNamespace());
    operator.start();
    LOG.info("started");
    stopped.await();
  }
}
