package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void validRangesAreNormalized() {
    assertThat(Cidr.normalize("10.1.2.3/8")).isEqualTo("10.0.0.0/8");
    assertThat(Cidr.normalize("203.0.113.7")).isEqualTo("203.0.113.7/32");
    assertThat(Cidr.normalize("2001:DB8:0:0:1::1/32")).isEqualTo("2001:db8::/32");
    assertThat(Cidr.normalize("::1")).isEqualTo("::1/128");
    assertThat(Cidr.normalize("::ffff:10.0.0.1/120")).isEqualTo("::ffff:a00:0/120");
    assertThat(Cidr.normalize("fe80:0:0:1:0:0:0:1")).isEqualTo("fe80:0:0:1::1/128");
  }

  @Test
  void invalidRangesSayWhy() {
    assertThat(Cidr.problem("10.0.0.300/8")).contains("not an IPv4 or IPv6");
    assertThat(Cidr.problem("192.168.0.0/33")).contains("above 32");
    assertThat(Cidr.problem("2001:db8::/129")).contains("above 128");
    assertThat(Cidr.problem("1::2::3")).isNotNull();
    assertThat(Cidr.problem("1:2:3:4:5:6:7:8:9")).isNotNull();
    assertThat(Cidr.problem("10.0.0/8")).isNotNull();
    assertThat(Cidr.problem("10.0.0.0/")).isNotNull();
    assertThat(Cidr.problem("10.0.0.0/8")).isNull();
  }
}
