package io.junction.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.junction.admin.CreatedKey;
import io.junction.admin.InMemoryUsageLimiter;
import io.junction.admin.KeySpec;
import io.junction.admin.VirtualKeys;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import io.junction.store.Store;
import io.junction.store.VirtualKey;
import io.junction.testing.MutableClock;
import io.junction.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
  VirtualKeys keys;
  KeyAuthenticator auth;

  @BeforeEach
  void open() {
    store = Store.open(TestDatabases.sqlite(dir));
    keys = VirtualKeys.load(store.keys, limiter, clock).join();
    auth = new KeyAuthenticator(MASTER, keys, limiter);
  }

  @AfterEach
  void close() {
    keys.close();
    store.close();
  }

  CreatedKey create(String json) throws Exception {
    return keys.create(KeySpec.fromJson(Json.parse(json))).join();
  }

  static void fails(ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status).isEqualTo(status);
      assertThat(e.code).isEqualTo(code);
    });
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
      assertThat(k.toJson().toString()).doesNotContain(created.secret()).doesNotContain(sha256);
      assertThat(k.toJson().get("allowed_models").get(0).asText()).isEqualTo("gpt-4o*");
    });

    ClientIdentity who = auth.authenticate(created.secret());
    assertThat(who).isEqualTo(new ClientIdentity(created.key().id(), "ci", false, List.of("gpt-4o*")));
  }

  @Test
  void masterKeyMissingAndWrongKeys() throws Exception {
    assertThat(auth.authenticate(MASTER)).isEqualTo(ClientIdentity.MASTER);
    fails(() -> auth.authenticate(null), 401, "invalid_api_key");
    fails(() -> auth.authenticate(""), 401, "invalid_api_key");
    fails(() -> auth.authenticate("jk-not-a-key"), 401, "invalid_api_key");
    admit(auth, ClientIdentity.MASTER, "anything"); // never limited
  }

  @Test
  void withoutAMasterKeyEveryoneIsAnonymous() throws Exception {
    KeyAuthenticator open = new KeyAuthenticator(null, keys, limiter);
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
    fails(() -> auth.authenticate(gone.secret()), 401, "invalid_api_key");
    fails(() -> admit(auth, goneWho, "gpt-4o"), 401, "invalid_api_key");
    assertThat(keys.list()).extracting(VirtualKey::name, VirtualKey::revoked)
        .containsExactly(tuple("kept", false), tuple("gone", true));

    VirtualKeys reloaded = VirtualKeys.load(store.keys, new InMemoryUsageLimiter(clock), clock).join();
    KeyAuthenticator fresh = new KeyAuthenticator(MASTER, reloaded, limiter);
    assertThat(fresh.authenticate(kept.secret()).name()).isEqualTo("kept");
    fails(() -> fresh.authenticate(gone.secret()), 401, "invalid_api_key");
  }

  @Test
  void allowedModelsAreGlobs() throws Exception {
    ClientIdentity who = auth.authenticate(create("{\"name\":\"k\",\"allowed_models\":[\"gpt-4o*\",\"claude-?-haiku\"]}").secret());
    admit(auth, who, "gpt-4o");
    admit(auth, who, "gpt-4o-mini");
    admit(auth, who, "openai/gpt-4o-mini");
    admit(auth, who, "claude-3-haiku");
    fails(() -> admit(auth, who, "claude-sonnet-4-5"), 403, "model_not_allowed");
    fails(() -> admit(auth, who, "gpt-4"), 403, "model_not_allowed");
    assertThat(io.junction.config.Glob.matches("a*b*c", "aXXbYYbc")).isTrue();
    assertThat(io.junction.config.Glob.matches("a*b", "aXXbY")).isFalse();
  }

  @Test
  void requestsPerMinuteAnswer429WithRetryAfterUntilTheNextMinute() throws Exception {
    ClientIdentity who = auth.authenticate(create("{\"name\":\"k\",\"rpm\":2}").secret());
    admit(auth, who, "gpt-4o");
    admit(auth, who, "gpt-4o");
    assertThatThrownBy(() -> admit(auth, who, "gpt-4o")).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status).isEqualTo(429);
      assertThat(e.retryAfterSeconds).as("clock is at :10 of the minute").isEqualTo(50);
    });
    clock.advanceMillis(50_000);
    admit(auth, who, "gpt-4o");
  }

  @Test
  void tokensPerMinuteCountRecordedUsage() throws Exception {
    ClientIdentity who = auth.authenticate(create("{\"name\":\"k\",\"tpm\":1000}").secret());
    admit(auth, who, "gpt-4o");
    auth.settle(new ClientAuthenticator.Admission(who, "gpt-4o", 0), new Usage(900, 99), 0);
    admit(auth, who, "gpt-4o"); // 999 < 1000
    auth.settle(new ClientAuthenticator.Admission(who, "gpt-4o", 0), new Usage(1, 0), 0);
    fails(() -> admit(auth, who, "gpt-4o"), 429, "rate_limit_exceeded");
    clock.advanceMillis(60_000);
    admit(auth, who, "gpt-4o");
  }

  @Test
  void budgetsStopSpendingAndSpendSurvivesARestart() throws Exception {
    CreatedKey created = create("{\"name\":\"k\",\"budget_usd\":1.0}");
    ClientIdentity who = auth.authenticate(created.secret());
    admit(auth, who, "gpt-4o");
    auth.settle(new ClientAuthenticator.Admission(who, "gpt-4o", 0), new Usage(10, 10), 0.6);
    admit(auth, who, "gpt-4o");
    auth.settle(new ClientAuthenticator.Admission(who, "gpt-4o", 0), new Usage(10, 10), 0.4);
    fails(() -> admit(auth, who, "gpt-4o"), 403, "budget_exceeded");
    assertThat(keys.list().getFirst().spentUsd()).isCloseTo(1.0, within(1e-9));

    keys.flushSpend().join();
    InMemoryUsageLimiter freshLimiter = new InMemoryUsageLimiter(clock);
    VirtualKeys reloaded = VirtualKeys.load(store.keys, freshLimiter, clock).join();
    assertThat(freshLimiter.spentUsd(created.key().id())).isCloseTo(1.0, within(1e-9));
    KeyAuthenticator fresh = new KeyAuthenticator(MASTER, reloaded, freshLimiter);
    fails(() -> admit(fresh, fresh.authenticate(created.secret()), "gpt-4o"), 403, "budget_exceeded");
  }

  /** Admits synchronously: the in-memory authenticator answers at once; a refusal is thrown as the GatewayException. */
  private static ClientAuthenticator.Admission admit(ClientAuthenticator auth, ClientIdentity who, String model) {
    var f = auth.admit(who, new ClientAuthenticator.AdmissionRequest(model, 0, 0));
    if (f.failed()) throw (RuntimeException) f.cause();
    return f.result();
  }
}
