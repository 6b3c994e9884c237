package io.junction.testing;

import io.junction.Junction;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import java.util.List;
import java.util.function.UnaryOperator;

/** A gateway on an ephemeral loopback port for tests. */
public final class TestGateway implements AutoCloseable {
  public static final String MASTER_KEY = "jk-test-master";
  public final Junction junction;

  public TestGateway(GatewayConfig config) {
    this.junction = Junction.create(config);
    MockOpenAiServer.await(junction.start());
  }

  /** A gateway over {@code providers} with {@link #MASTER_KEY}, its own SQLite file, on port 0 with 1 s of shutdown grace. */
  public static TestGateway withProviders(ProviderConfig... providers) { return start(c -> c, providers); }

  /** A gateway as {@link #withProviders} makes it, its configuration first changed by {@code adjust}. */
  public static TestGateway start(UnaryOperator<GatewayConfig> adjust, ProviderConfig... providers) {
    GatewayConfig c = GatewayConfig.defaults().withProviders(List.of(providers)).withMasterKey(MASTER_KEY)
        .withStorageUrl(tempDatabase());
    c = c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000));
    return new TestGateway(adjust.apply(c));
  }

  /** A fresh SQLite file per gateway, so tests never touch ./junction.db or each other's rows. */
  public static String tempDatabase() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("junction-test");
      dir.toFile().deleteOnExit();
      return "jdbc:sqlite:" + dir.resolve("junction.db");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() { return junction.port(); }

  public String url() { return "http://127.0.0.1:" + port(); }

  @Override
  public void close() { MockOpenAiServer.await(junction.stop()); }
}
