package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.config.GatewayConfig;
import io.junction.config.PriceConfig;
import io.junction.protocol.Usage;
import io.junction.auth.ClientAuthenticator;
import io.junction.auth.ClientIdentity;
import io.junction.store.CostReport;
import io.junction.store.LogQuery;
import io.junction.store.TimeRange;
import io.junction.telemetry.RequestEvent;
import io.junction.testing.TestDatabases;
import java.nio.file.Path;
import io.junction.store.BudgetPeriod;
import io.junction.store.KeyBudget;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup from config, a request's whole data path, and a restart that finds everything again. */
class DataServicesTest {
  @TempDir Path dir;

  GatewayConfig config() {
    return GatewayConfig.defaults().withStorageUrl(TestDatabases.sqlite(dir)).withMasterKey("mk");
  }

  @Test
  void aRequestIsAuthenticatedPricedLoggedAndChargedAcrossARestart() throws Exception {
    String secret;
    String keyId;
    try (DataServices ds = DataServices.start(config())) {
      CreatedKey created = ds.keys().create(new KeySpec("ci", List.of(), null, null, List.of(new KeyBudget(BudgetPeriod.TOTAL, 10.0)))).join();
      secret = created.secret();
      keyId = created.key().id();
      ClientIdentity who = ds.authenticator().authenticate(secret);
      ClientAuthenticator.Admission admission = ds.authenticator()
          .admit(who, new ClientAuthenticator.AdmissionRequest("gpt-4o", 0, 0)).toCompletionStage().toCompletableFuture().join();
      Usage usage = new Usage(1_000_000, 0);
      io.junction.telemetry.Price.Cost bill = ds.pricing().bill("openai", "gpt-4o", usage);
      ds.telemetry().request(new RequestEvent(System.currentTimeMillis(), "req-1", who.keyId(), "openai", "gpt-4o",
          "openai", "gpt-4o", false, 200, 2_000, -1, usage, 1, null, bill, 0));
      double cost = bill.totalUsd();
      ds.authenticator().settle(admission, usage, cost);
      assertThat(ds.metrics().snapshot("openai").totals().requests()).isEqualTo(1);
    }

    try (DataServices ds = DataServices.start(config())) {
      assertThat(ds.store().logs.query(LogQuery.latest(10)).join()).singleElement()
          .satisfies(row -> assertThat(row.keyId()).isEqualTo(keyId));
      CostReport costs = ds.store().logs.costs(TimeRange.ALL).join();
      assertThat(costs.byKey()).containsEntry(keyId, 2.5);
      assertThat(ds.keys().json(ds.keys().list().getFirst()).get("spent_usd").asDouble()).as("spend flushed on close").isEqualTo(2.5);
      assertThat(ds.authenticator().authenticate(secret).keyId()).isEqualTo(keyId);
    }
  }

  @Test
  void badStorageUrlsAndPricesFailStartup() {
    assertThatThrownBy(() -> DataServices.start(config().withStorageUrl("jdbc:h2:mem:x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.url");
    GatewayConfig c = config();
    GatewayConfig badPrice = new GatewayConfig(c.server(), c.masterKey(), c.storageUrl(), null, false, null, c.logs(), c.responses(),
        List.of(), List.of(), List.of(new PriceConfig("m", 1, -2, null, null)), null);
    assertThatThrownBy(() -> DataServices.start(badPrice)).hasMessageStartingWith("pricing[0].output");
  }
}
