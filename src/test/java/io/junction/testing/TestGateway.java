package io.junction.testing;

import io.junction.Junction;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import java.util.List;

/** A gateway on an ephemeral loopback port for tests. */
public final class TestGateway implements AutoCloseable {
  public static final String MASTER_KEY = "jk-test-master";
  public final Junction junction;

  public TestGateway(GatewayConfig config) {
    this.junction = Junction.create(config);
    MockOpenAiServer.await(junction.start());
  }

  public static TestGateway withProviders(ProviderConfig... providers) {
    GatewayConfig c = GatewayConfig.defaults().withProviders(List.of(providers)).withMasterKey(MASTER_KEY);
    c = c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000));
    return new TestGateway(c);
  }

  public int port() { return junction.port(); }

  public String url() { return "http://127.0.0.1:" + port(); }

  @Override
  public void close() { MockOpenAiServer.await(junction.stop()); }
}
