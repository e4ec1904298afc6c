package dev.portico.dataplane.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.upstream.Address;
import dev.portico.snapshot.BackendConfig;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceAddressesTest {
  private static final BackendConfig HTTP = new BackendConfig("default/svc", 80, "http", "http", 1);
  private static final BackendConfig UNNAMED = new BackendConfig("default/svc", 80, "", "8080", 1);

  @Test
  void readyAndUnsetReadyEndpointsAreUsedNotReadyOnesAreNot() {
    EndpointSlice slice =
        slice(
            "IPv4",
            List.of(port("http", 9000)),
            endpoint(true, null, null, "10.0.0.1"),
            endpoint(null, null, null, "10.0.0.2"),
            new EndpointBuilder().withAddresses("10.0.0.3").build(),
            endpoint(false, null, null, "10.0.0.4"),
            endpoint(false, true, true, "10.0.0.5"));

    assertThat(SliceAddresses.of(List.of(slice), HTTP))
        .containsExactly(at("10.0.0.1", 9000), at("10.0.0.2", 9000), at("10.0.0.3", 9000));
  }

  @Test
  void withoutAnyReadyEndpointTerminatingButServingOnesTakeTheTraffic() {
    EndpointSlice draining =
        slice(
            "IPv4",
            List.of(port("http", 9000)),
            endpoint(false, true, true, "10.0.0.1"),
            endpoint(false, null, true, "10.0.0.2"),
            endpoint(false, false, true, "10.0.0.3"));
    EndpointSlice notReady =
        slice("IPv4", List.of(port("http", 9000)), endpoint(false, true, null, "10.0.0.4"));

    // Serving unset reads as true; serving but not terminating is not a drain, so not used.
    assertThat(SliceAddresses.of(List.of(draining, notReady), HTTP))
        .containsExactly(at("10.0.0.1", 9000), at("10.0.0.2", 9000));
  }

  @Test
  void theFallbackLooksAtTheWholeServiceNotOneSlice() {
    EndpointSlice draining =
        slice("IPv4", List.of(port("http", 9000)), endpoint(false, true, true, "10.0.0.1"));
    EndpointSlice fresh =
        slice("IPv4", List.of(port("http", 9000)), endpoint(true, true, false, "10.0.0.2"));

    assertThat(SliceAddresses.of(List.of(draining, fresh), HTTP))
        .containsExactly(at("10.0.0.2", 9000));
  }

  @Test
  void portsAreMatchedByNameWithEmptyAndMissingMeaningUnnamed() {
    EndpointSlice named =
        slice(
            "IPv4",
            List.of(port("metrics", 9100), port("http", 9000)),
            endpoint(true, null, null, "10.0.0.1"));
    EndpointSlice unnamed =
        slice("IPv4", List.of(port(null, 8080)), endpoint(true, null, null, "10.0.0.2"));
    EndpointSlice emptyName =
        slice("IPv4", List.of(port("", 8081)), endpoint(true, null, null, "10.0.0.3"));
    EndpointSlice noPorts = slice("IPv4", null, endpoint(true, null, null, "10.0.0.4"));

    List<EndpointSlice> all = List.of(named, unnamed, emptyName, noPorts);
    assertThat(SliceAddresses.of(all, HTTP)).containsExactly(at("10.0.0.1", 9000));
    assertThat(SliceAddresses.of(all, UNNAMED))
        .containsExactly(at("10.0.0.2", 8080), at("10.0.0.3", 8081));
    assertThat(SliceAddresses.of(all, new BackendConfig("default/svc", 80, null, "8080", 1)))
        .isEqualTo(SliceAddresses.of(all, UNNAMED));
  }

  @Test
  void eachSliceCarriesItsOwnPortNumber() {
    // Mid-rollout of a new container port: old and new pods sit in different slices.
    EndpointSlice old =
        slice("IPv4", List.of(port("http", 8080)), endpoint(true, null, null, "10.0.0.1"));
    EndpointSlice next =
        slice("IPv4", List.of(port("http", 9090)), endpoint(true, null, null, "10.0.0.2"));

    assertThat(SliceAddresses.of(List.of(old, next), HTTP))
        .containsExactly(at("10.0.0.1", 8080), at("10.0.0.2", 9090));
  }

  @Test
  void fqdnSlicesAreSkippedAndIpv6IsKept() {
    EndpointSlice fqdn =
        slice("FQDN", List.of(port("http", 9000)), endpoint(true, null, null, "db.example.com"));
    EndpointSlice v6 =
        slice("IPv6", List.of(port("http", 9000)), endpoint(true, null, null, "fd00::1"));

    assertThat(SliceAddresses.of(List.of(fqdn, v6), HTTP)).containsExactly(at("fd00::1", 9000));
    assertThat(SliceAddresses.of(List.of(fqdn), HTTP)).isEmpty();
  }

  @Test
  void addressesAreDeduplicatedAcrossEndpointsAndSlices() {
    // A slice being replaced: for a moment the same endpoint is listed in both.
    EndpointSlice a =
        slice(
            "IPv4",
            List.of(port("http", 9000)),
            endpoint(true, null, null, "10.0.0.2", "10.0.0.1"),
            endpoint(true, null, null, "10.0.0.1"));
    EndpointSlice b =
        slice("IPv4", List.of(port("http", 9000)), endpoint(true, null, null, "10.0.0.2"));

    assertThat(SliceAddresses.of(List.of(a, b), HTTP))
        .containsExactly(at("10.0.0.1", 9000), at("10.0.0.2", 9000));
  }

  @Test
  void noSlicesOrNoEndpointsMeanNoAddresses() {
    EndpointSlice empty = slice("IPv4", List.of(port("http", 9000)));
    empty.setEndpoints(null);

    assertThat(SliceAddresses.of(List.of(), HTTP)).isEmpty();
    assertThat(SliceAddresses.of(List.of(empty), HTTP)).isEmpty();
  }

  private static Address at(String host, int port) {
    return new Address(host, port);
  }

  private static EndpointPort port(String name, int number) {
    EndpointPort p = new EndpointPort();
    p.setName(name);
    p.setPort(number);
    p.setProtocol("TCP");
    return p;
  }

  private static Endpoint endpoint(
      Boolean ready, Boolean serving, Boolean terminating, String... addresses) {
    return new EndpointBuilder()
        .withAddresses(addresses)
        .withNewConditions()
        .withReady(ready)
        .withServing(serving)
        .withTerminating(terminating)
        .endConditions()
        .build();
  }

  private static EndpointSlice slice(
      String addressType, List<EndpointPort> ports, Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName("svc-" + addressType.toLowerCase())
        .withNamespace("default")
        .addToLabels(SliceAddresses.SERVICE_NAME_LABEL, "svc")
        .endMetadata()
        .withAddressType(addressType)
        .withPorts(ports)
        .withEndpoints(endpoints)
        .build();
  }
}
