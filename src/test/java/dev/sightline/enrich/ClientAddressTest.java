package dev.sightline.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ClientAddress behindProxy = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.1"));

    @Test
    void theConnectionPeerWhenNothingElseIsKnown() {
        assertThat(resolve(behindProxy, JSON.createObjectNode(), RequestFacts.of("198.51.100.4", null)))
                .hasValue("198.51.100.4");
    }

    @Test
    void anIpPropertyFromAServerSdkWins() {
        ObjectNode p = JSON.createObjectNode().put("$ip", "2001:db8::7");
        assertThat(resolve(behindProxy, p, RequestFacts.of("10.0.0.5", null).withForwardedFor("198.51.100.4")))
                .hasValue("2001:db8::7");
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        RequestFacts spoofed = RequestFacts.of("198.51.100.4", null).withForwardedFor("1.2.3.4");
        assertThat(resolve(behindProxy, JSON.createObjectNode(), spoofed)).hasValue("198.51.100.4");
        ClientAddress noProxies = new ClientAddress(List.of());
        assertThat(resolve(noProxies, JSON.createObjectNode(), RequestFacts.of("10.0.0.5", null).withForwardedFor("1.2.3.4")))
                .hasValue("10.0.0.5");
    }

    @Test
    void forwardedForIsReadFromTheRightSkippingTrustedProxies() {
        // client wrote a fake first hop; our two proxies appended the real one and each other
        RequestFacts request = RequestFacts.of("10.0.0.5", null)
                .withForwardedFor("6.6.6.6, 203.0.113.9, 10.1.1.1, 192.0.2.1");
        assertThat(resolve(behindProxy, JSON.createObjectNode(), request)).hasValue("203.0.113.9");
    }

    @Test
    void forwardedForWithIpv6AndPorts() {
        RequestFacts request = RequestFacts.of("fd00::2", null).withForwardedFor("[2001:db8:1::9]:4711");
        assertThat(resolve(behindProxy, JSON.createObjectNode(), request)).hasValue("2001:db8:1::9");
        RequestFacts v4 = RequestFacts.of("10.0.0.5", null).withForwardedFor("203.0.113.9:51000");
        assertThat(resolve(behindProxy, JSON.createObjectNode(), v4)).hasValue("203.0.113.9");
    }

    @Test
    void aGarbledHopStopsTheWalk() {
        RequestFacts request = RequestFacts.of("10.0.0.5", null).withForwardedFor("203.0.113.9, unknown");
        assertThat(resolve(behindProxy, JSON.createObjectNode(), request)).hasValue("10.0.0.5");
    }

    @Test
    void hostNamesAreNeverResolved() {
        ObjectNode p = JSON.createObjectNode().put("$ip", "localhost");
        assertThat(resolve(behindProxy, p, RequestFacts.of("198.51.100.4", null))).hasValue("198.51.100.4");
        assertThat(IpAddresses.parse("example.com")).isEmpty();
        assertThat(IpAddresses.parse("256.1.1.1")).isEmpty();
    }

    @Test
    void readsAddressLiteralsOfEveryForm() {
        assertThat(IpAddresses.parse("203.0.113.9").map(IpAddresses::format)).hasValue("203.0.113.9");
        assertThat(IpAddresses.parse("0.0.0.0").map(IpAddresses::format)).hasValue("0.0.0.0");
        assertThat(IpAddresses.parse("255.255.255.255").map(IpAddresses::format)).hasValue("255.255.255.255");
        assertThat(IpAddresses.parse(" 203.0.113.9 ").map(IpAddresses::format)).hasValue("203.0.113.9");
        assertThat(IpAddresses.parse("203.0.113.9:8080").map(IpAddresses::format)).hasValue("203.0.113.9");
        assertThat(IpAddresses.parse("[2001:db8::1]:443").map(IpAddresses::format)).hasValue("2001:db8::1");
        assertThat(IpAddresses.parse("::ffff:203.0.113.9")).isPresent();
        for (String bad : new String[] {"1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.2555", "1.2.3.256",
                "1.2.3.-4", "1.2.3.4a", "", " ", "1.2.3.4/24"}) {
            assertThat(IpAddresses.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void rejectsABadTrustedProxySetting() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddress(List.of("proxy.local"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatesToTheNetwork() throws Exception {
        assertThat(IpAddresses.format(IpAddresses.truncate(InetAddress.getByName("203.0.113.77")))).isEqualTo("203.0.113.0");
        assertThat(IpAddresses.format(IpAddresses.truncate(InetAddress.getByName("2001:db8:abcd:12:3456::1"))))
                .isEqualTo("2001:db8:abcd::");
    }

    @Test
    void formatsIpv6Compactly() throws Exception {
        assertThat(IpAddresses.format(InetAddress.getByName("2001:0db8:0000:0000:0000:0000:0000:0001"))).isEqualTo("2001:db8::1");
        assertThat(IpAddresses.format(InetAddress.getByName("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(IpAddresses.format(InetAddress.getByName("::1"))).isEqualTo("::1");
    }

    @Test
    void cidrMatching() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(addr("10.255.1.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(addr("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("172.16.0.0/12").contains(addr("172.31.255.255"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(addr("172.32.0.0"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(addr("fd12::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(addr("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(addr("8.8.8.8"))).isTrue();
    }

    private static InetAddress addr(String ip) {
        return IpAddresses.parse(ip).orElseThrow();
    }

    private static Optional<String> resolve(ClientAddress resolver, ObjectNode p, RequestFacts request) {
        return resolver.resolve(p, request).map(IpAddresses::format);
    }
}
