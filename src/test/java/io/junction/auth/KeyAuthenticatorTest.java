package io.junction.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.admin.CreatedKey;
import io.junction.admin.InMemoryUsageLimiter;
import io.junction.admin.KeySpec;
import io.junction.admin.VirtualKeys;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import io.junction.auth.ClientAuthenticator.Admission;
import io.junction.auth.ClientAuthenticator.AdmissionRequest;
import io.junction.store.Store;
import io.junction.store.VirtualKey;
import io.junction.telemetry.Pricing;
import io.junction.testing.MutableClock;
import io.junction.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyAuthenticatorTest {
  static final String MASTER = "master-secret";

  @TempDir Path dir;
  Store store;
  MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:10Z"));
  InMemoryUsageLimiter limiter = new InMemoryUsageLimiter(clock);
  Pricing pricing = Pricing.load(List.of());
  VirtualKeys keys;
  KeyAuthenticator auth;

  @BeforeEach
  void open() {
    store = Store.open(TestDatabases.sqlite(dir));
    keys = VirtualKeys.load(store.keys, clock).join();
    auth = new KeyAuthenticator(MASTER, keys, limiter, pricing, clock);
  }

  @AfterEach
  void close() {
    keys.close();
    store.close();
  }

  CreatedKey create(String json) throws Exception {
    return keys.create(KeySpec.fromJson(Json.parse(json))).join();
  }

  static Admission admit(KeyAuthenticator a, ClientIdentity who, String model) {
    return admit(a, who, new AdmissionRequest(model, 0, 0));
  }

  static Admission admit(KeyAuthenticator a, ClientIdentity who, AdmissionRequest r) {
    try {
      return a.admit(who, r).toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  Admission admit(ClientIdentity who, String model) { return admit(auth, who, model); }

  static GatewayException refused(Runnable call, int status, String code) {
    GatewayException[] caught = new GatewayException[1];
    assertThatThrownBy(call::run).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status).isEqualTo(status);
      assertThat(e.code).isEqualTo(code);
      caught[0] = e;
    });
    return caught[0];
  }

  @Test
  void createdSecretsAuthenticateAndOnlyTheirHashIsStored() throws Exception {
    CreatedKey created = create("{\"name\":\"ci\",\"allowed_models\":[\"gpt-4o*\"]}");
    assertThat(created.secret()).startsWith("jk-").hasSize(3 + 43); // 32 bytes, base64url without padding
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(created.secret().getBytes(StandardCharsets.UTF_8)));
    assertThat(created.key().secretHash()).isEqualTo(sha256);
    assertThat(created.toJson().get("key").asText()).isEqualTo(created.secret());

    String everyStoredValue = store.database.call(c -> {
      StringBuilder all = new StringBuilder();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM virtual_keys")) {
        while (rs.next()) for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) all.append(rs.getString(i)).append('|');
      }
      return all.toString();
    }).join();
    assertThat(everyStoredValue).contains(sha256).doesNotContain(created.secret());
    assertThat(keys.list()).singleElement().satisfies(k -> {
      assertThat(keys.json(k).toString()).doesNotContain(created.secret()).doesNotContain(sha256);
      assertThat(keys.json(k).get("allowed_models").get(0).asText()).isEqualTo("gpt-4o*");
    });

    ClientIdentity who = auth.authenticate(created.secret());
    assertThat(who).isEqualTo(new ClientIdentity(created.key().id(), "ci", false, List.of("gpt-4o*")));
  }

  @Test
  void masterKeyMissingAndWrongKeys() throws Exception {
    assertThat(auth.authenticate(MASTER)).isEqualTo(ClientIdentity.MASTER);
    refused(() -> auth.authenticate(null), 401, "invalid_api_key");
    refused(() -> auth.authenticate(""), 401, "invalid_api_key");
    refused(() -> auth.authenticate("jk-not-a-key"), 401, "invalid_api_key");
    assertThat(admit(ClientIdentity.MASTER, "anything").hold()).as("never limited").isNull();
  }

  @Test
  void withoutAMasterKeyEveryoneIsAnonymous() throws Exception {
    KeyAuthenticator open = new KeyAuthenticator(null, keys, limiter, pricing, clock);
    CreatedKey created = create("{\"name\":\"ci\",\"rpm\":1}");
    assertThat(open.authenticate(null)).isSameAs(ClientIdentity.ANONYMOUS);
    assertThat(open.authenticate("garbage")).isSameAs(ClientIdentity.ANONYMOUS);
    assertThat(open.authenticate(created.secret())).isSameAs(ClientIdentity.ANONYMOUS);
    admit(open, ClientIdentity.ANONYMOUS, "gpt-4o");
    admit(open, ClientIdentity.ANONYMOUS, "gpt-4o");
  }

  @Test
  void revokedKeysStopAtOnceAndStayRevokedAfterReload() throws Exception {
    CreatedKey kept = create("{\"name\":\"kept\"}");
    clock.advanceMillis(1); // list() is oldest first
    CreatedKey gone = create("{\"name\":\"gone\"}");
    ClientIdentity goneWho = auth.authenticate(gone.secret());

    assertThat(keys.revoke(gone.key().id()).join()).isTrue();
    assertThat(keys.revoke(gone.key().id()).join()).isFalse();
    refused(() -> auth.authenticate(gone.secret()), 401, "invalid_api_key");
    refused(() -> admit(goneWho, "gpt-4o"), 401, "invalid_api_key");
    assertThat(keys.list()).extracting(VirtualKey::name, VirtualKey::revoked)
        .containsExactly(tuple("kept", false), tuple("gone", true));

    VirtualKeys reloaded = VirtualKeys.load(store.keys, clock).join();
    KeyAuthenticator fresh = new KeyAuthenticator(MASTER, reloaded, limiter, pricing, clock);
    assertThat(fresh.authenticate(kept.secret()).name()).isEqualTo("kept");
    refused(() -> fresh.authenticate(gone.secret()), 401, "invalid_api_key");
  }

  @Test
  void aReloadSeesKeysCreatedAndRevokedElsewhere() throws Exception {
    VirtualKeys other = VirtualKeys.load(store.keys, clock).join(); // another instance on the same database
    CreatedKey created = create("{\"name\":\"new\"}");
    assertThat(other.bySecret(created.secret())).isEmpty();
    other.reload().join();
    assertThat(other.bySecret(created.secret())).isPresent();
    keys.revoke(created.key().id()).join();
    other.reload().join();
    assertThat(other.bySecret(created.secret())).isEmpty();
  }

  @Test
  void allowedModelsAreGlobs() throws Exception {
    ClientIdentity who = auth.authenticate(create("{\"name\":\"k\",\"allowed_models\":[\"gpt-4o*\",\"claude-?-haiku\"]}").secret());
    admit(who, "gpt-4o");
    admit(who, "gpt-4o-mini");
    admit(who, "openai/gpt-4o-mini");
    admit(who, "claude-3-haiku");
    refused(() -> admit(who, "claude-sonnet-4-5"), 403, "model_not_allowed");
    refused(() -> admit(who, "gpt-4"), 403, "model_not_allowed");
    assertThat(io.junction.config.Glob.matches("a*b*c", "aXXbYYbc")).isTrue();
    assertThat(io.junction.config.Glob.matches("a*b", "aXXbY")).isFalse();
  }

  @Test
  void requestsPerMinuteSlideOverTheLastSixtySeconds() throws Exception {
    ClientIdentity who = auth.authenticate(create("{\"name\":\"k\",\"rpm\":2}").secret());
    admit(who, "gpt-4o");
    clock.advanceMillis(30_000);
    admit(who, "gpt-4o");
    GatewayException e = refused(() -> admit(who, "gpt-4o"), 429, "rate_limit_exceeded");
    assertThat(e.retryAfterSeconds).as("the first request leaves the window 30 s from now").isEqualTo(30);
    clock.advanceMillis(20_000); // a new clock minute began: a fixed window would admit here
    refused(() -> admit(who, "gpt-4o"), 429, "rate_limit_exceeded");
    clock.advanceMillis(10_000);
    admit(who, "gpt-4o");
    refused(() -> admit(who, "gpt-4o"), 429, "rate_limit_exceeded");
  }

  @Test
  void tokensPerMinuteCountSettledUsage() throws Exception {
    ClientIdentity who = auth.authenticate(create("{\"name\":\"k\",\"tpm\":1000}").secret());
    auth.settle(admit(who, "gpt-4o"), new Usage(900, 99), 0);
    auth.settle(admit(who, "gpt-4o"), new Usage(1, 0), 0); // 999 < 1000 when admitted
    GatewayException e = refused(() -> admit(who, "gpt-4o"), 429, "rate_limit_exceeded");
    assertThat(e.retryAfterSeconds).isEqualTo(60);
    clock.advanceMillis(60_000);
    admit(who, "gpt-4o");
  }

  @Test
  void budgetsStopSpendingAndSpendSurvivesARestart() throws Exception {
    CreatedKey created = create("{\"name\":\"k\",\"budget_usd\":1.0}");
    ClientIdentity who = auth.authenticate(created.secret());
    auth.settle(admit(who, "gpt-4o"), new Usage(10, 10), 0.6);
    auth.settle(admit(who, "gpt-4o"), new Usage(10, 10), 0.4);
    refused(() -> admit(who, "gpt-4o"), 403, "budget_exceeded");
    assertThat(keys.json(keys.list().getFirst()).get("spent_usd").asDouble()).isCloseTo(1.0, within(1e-9));

    keys.flushSpend().join();
    VirtualKeys reloaded = VirtualKeys.load(store.keys, clock).join();
    assertThat(reloaded.json(reloaded.list().getFirst()).get("spent_usd").asDouble()).isCloseTo(1.0, within(1e-9));
    KeyAuthenticator fresh = new KeyAuthenticator(MASTER, reloaded, new InMemoryUsageLimiter(clock), pricing, clock);
    refused(() -> admit(fresh, fresh.authenticate(created.secret()), "gpt-4o"), 403, "budget_exceeded");
  }

  @Test
  void aBurstIsAdmittedOnlyWhileReservationsLeaveBudget() throws Exception {
    // gpt-4o at $2.50/$10 per 1M: 1,000 in + 1,000 out reserves $0.0125.
    ClientIdentity who = auth.authenticate(create("{\"name\":\"k\",\"budget_usd\":0.045}").secret());
    AdmissionRequest call = new AdmissionRequest("gpt-4o", 1_000, 1_000);
    List<Admission> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) inFlight.add(admit(auth, who, call));
    assertThat(inFlight.getFirst().reservedUsd()).isCloseTo(0.0125, within(1e-12));
    refused(() -> admit(auth, who, call), 403, "budget_exceeded"); // 4 reservations ($0.05) hold more than $0.045

    auth.settle(inFlight.removeFirst(), new Usage(10, 10), 0.001); // finished cheaper than reserved: room again
    inFlight.add(admit(auth, who, call));
    refused(() -> admit(auth, who, call), 403, "budget_exceeded");

    auth.settle(inFlight.removeFirst(), Usage.ZERO, 0); // a failed call releases its reservation
    inFlight.add(admit(auth, who, call));
  }

  @Test
  void aDailyBudgetStartsAgainTheNextDayWhileTheTotalHolds() throws Exception {
    CreatedKey created = create("{\"name\":\"k\",\"budgets\":[{\"budget_usd\":1,\"budget_period\":\"daily\"},{\"budget_usd\":1.5}]}");
    ClientIdentity who = auth.authenticate(created.secret());
    auth.settle(admit(who, "gpt-4o"), Usage.ZERO, 1.0);
    GatewayException e = refused(() -> admit(who, "gpt-4o"), 403, "budget_exceeded");
    assertThat(e.getMessage()).contains("daily budget of $1.0");
    JsonNode view = keys.json(keys.list().getFirst());
    assertThat(view.get("budgets").get(1).get("resets_at").asText()).isEqualTo("2026-11-22T00:00:00Z");

    clock.advanceMillis(14 * 3_600_000L); // 2026-11-22T00:00:10Z
    auth.settle(admit(who, "gpt-4o"), Usage.ZERO, 0.5);
    e = refused(() -> admit(who, "gpt-4o"), 403, "budget_exceeded");
    assertThat(e.getMessage()).contains("budget of $1.5").doesNotContain("daily");
    view = keys.json(keys.list().getFirst());
    assertThat(view.get("spent_usd").asDouble()).isCloseTo(1.5, within(1e-9));
    assertThat(view.get("budgets").get(1).get("spent_usd").asDouble()).isCloseTo(0.5, within(1e-9));
  }
}
