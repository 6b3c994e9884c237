package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a provider's {@code max_connections} sizes its HTTP/2 pool (README, "Upstream limits"). */
class UpstreamClientTest {
  @Test
  void http2ConnectionsCarryMaxConnectionsRequestsAtAHundredStreamsEach() {
    assertThat(UpstreamClient.http2Connections(1024)).isEqualTo(11); // the default: 1,024 streams in flight fit
    assertThat(UpstreamClient.http2Connections(12_000)).isEqualTo(120);
    assertThat(UpstreamClient.http2Connections(12_001)).isEqualTo(121);
  }

  @Test
  void neverFewerThanEightHttp2Connections() {
    assertThat(UpstreamClient.http2Connections(1)).isEqualTo(8);
    assertThat(UpstreamClient.http2Connections(800)).isEqualTo(8);
  }

  @Test
  void theConnectionWindowHoldsAHundredStreamsOfDefaultWindows() {
    // A hundred streams, each with HTTP/2's default 64 KiB window, fit in one connection's window.
    assertThat(UpstreamClient.HTTP2_CONNECTION_WINDOW)
        .isGreaterThanOrEqualTo(UpstreamClient.HTTP2_STREAMS_PER_CONNECTION * 65_535);
  }
}
