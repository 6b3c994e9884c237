package io.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import io.junction.telemetry.RequestEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same store behaviour, run against every supported database by the subclasses. */
abstract class StoreContract {
  static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

  Store store;

  /** A JDBC URL for an empty database (the subclass owns its lifecycle). */
  abstract String freshDatabaseUrl() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = Store.open(freshDatabaseUrl());
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  static LogEntry row(long time, String provider, String model, String keyId, int status, double cost) {
    RequestEvent e = new RequestEvent(time, "req-" + time, keyId, "openai", model, provider, model, false, status,
        12_345, -1, new Usage(100, 20, 30, 0, 0), 1, status >= 400 ? "boom" : null, cost);
    return LogEntry.of(e, cost);
  }

  @Test
  void logsRoundTripEveryField() {
    RequestEvent e = new RequestEvent(T0, "req-1", "vk_1", "anthropic", "smart", "openai", "gpt-4o", true, 200,
        1_500_000, 250_000, new Usage(1000, 200, 300, 0, 0), 2, null, 0.0123);
    store.logs.insert(List.of(LogEntry.of(e, 0.0123))).join();

    LogEntry got = store.logs.query(LogQuery.latest(10)).join().getFirst();
    assertThat(got.id()).isPositive();
    assertThat(got).usingRecursiveComparison().ignoringFields("id").isEqualTo(
        new LogEntry(0, T0, "req-1", "vk_1", "anthropic", "openai", "gpt-4o", "smart", 200, 1500, 250L,
            1000, 200, 300, 0.0123, 2, null, true));
    JsonNode json = got.toJson();
    assertThat(json.get("time").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(json.get("ttft_ms").asLong()).isEqualTo(250);
    assertThat(json.get("key_id").asText()).isEqualTo("vk_1");
  }

  @Test
  void nonStreamedRowsKeepTtftNull() {
    store.logs.insert(List.of(row(T0, "openai", "gpt-4o", null, 500, 0))).join();
    LogEntry got = store.logs.query(LogQuery.latest(1)).join().getFirst();
    assertThat(got.ttftMs()).isNull();
    assertThat(got.error()).isEqualTo("boom");
    assertThat(got.stream()).isFalse();
    assertThat(got.toJson().get("ttft_ms").isNull()).isTrue();
  }

  @Test
  void queryFiltersAndPagesNewestFirst() {
    store.logs.insert(List.of(
        row(T0, "openai", "gpt-4o", null, 200, 0),
        row(T0 + 1, "anthropic", "claude-sonnet-4-5", null, 200, 0),
        row(T0 + 2, "openai", "gpt-4o-mini", null, 429, 0),
        row(T0 + 3, "openai", "gpt-4o", null, 200, 0))).join();

    List<LogEntry> all = store.logs.query(LogQuery.latest(100)).join();
    assertThat(all).extracting(LogEntry::timeMs).containsExactly(T0 + 3, T0 + 2, T0 + 1, T0);

    assertThat(store.logs.query(LogQuery.latest(100).withProvider("openai")).join())
        .extracting(LogEntry::timeMs).containsExactly(T0 + 3, T0 + 2, T0);
    assertThat(store.logs.query(new LogQuery(null, "gpt-4o", null, 100, null, null)).join())
        .extracting(LogEntry::timeMs).containsExactly(T0 + 3, T0);
    assertThat(store.logs.query(new LogQuery("openai", null, 429, 100, null, null)).join())
        .extracting(LogEntry::model).containsExactly("gpt-4o-mini");

    List<LogEntry> page1 = store.logs.query(LogQuery.latest(2)).join();
    List<LogEntry> page2 = store.logs.query(new LogQuery(null, null, null, 2, page1.getLast().id(), null)).join();
    assertThat(page1).extracting(LogEntry::timeMs).containsExactly(T0 + 3, T0 + 2);
    assertThat(page2).extracting(LogEntry::timeMs).containsExactly(T0 + 1, T0);

    assertThat(store.logs.query(new LogQuery(null, null, null, 100, null, T0 + 2)).join())
        .extracting(LogEntry::timeMs).containsExactly(T0 + 1, T0);
  }

  @Test
  void costsSumByProviderModelAndKeyOverAHalfOpenRange() {
    store.logs.insert(List.of(
        row(T0 - 1, "openai", "gpt-4o", "vk_a", 200, 100.0), // before the range
        row(T0, "openai", "gpt-4o", "vk_a", 200, 1.0),
        row(T0 + 10, "openai", "gpt-4o-mini", "vk_b", 200, 0.25),
        row(T0 + 20, "anthropic", "claude-sonnet-4-5", null, 200, 2.0),
        row(T0 + 30, null, null, null, 404, 0.0),
        row(T0 + 100, "openai", "gpt-4o", "vk_a", 200, 50.0))) // at 'to': excluded
        .join();

    CostReport r = store.logs.costs(new TimeRange(T0, T0 + 100)).join();
    assertThat(r.totalUsd()).isCloseTo(3.25, within(1e-9));
    assertThat(r.byProvider().keySet()).as("by descending cost").containsExactly("anthropic", "openai", "none");
    assertThat(r.byProvider()).containsEntry("anthropic", 2.0).containsEntry("openai", 1.25).containsEntry("none", 0.0);
    assertThat(r.byModel()).containsEntry("gpt-4o", 1.0).containsEntry("gpt-4o-mini", 0.25)
        .containsEntry("claude-sonnet-4-5", 2.0);
    assertThat(r.byKey()).containsEntry("vk_a", 1.0).containsEntry("vk_b", 0.25)
        .containsEntry(CostReport.NO_KEY, 2.0);
    assertThat(r.toJson().get("total_usd").asDouble()).isCloseTo(3.25, within(1e-9));

    assertThat(store.logs.costs(TimeRange.ALL).join().totalUsd()).isCloseTo(153.25, within(1e-9));
  }

  @Test
  void deleteOlderThanPrunesOnlyOldRows() {
    store.logs.insert(List.of(row(T0 - 1, "openai", "a", null, 200, 0), row(T0, "openai", "b", null, 200, 0))).join();
    assertThat(store.logs.deleteOlderThan(T0).join()).isEqualTo(1);
    assertThat(store.logs.query(LogQuery.latest(10)).join()).extracting(LogEntry::model).containsExactly("b");
  }

  @Test
  void virtualKeysInsertListRevokeAndAccumulateSpend() {
    VirtualKey k = new VirtualKey("vk_1", "ci", "ab12", List.of("gpt-4o*", "claude-*"), 60, 100_000L, 5.0, 0,
        T0, null);
    VirtualKey open = new VirtualKey("vk_2", "open", "cd34", List.of(), null, null, null, 0, T0 + 1, null);
    store.keys.insert(k).join();
    store.keys.insert(open).join();

    assertThat(store.keys.list().join()).containsExactly(k, open);

    store.keys.addSpend(Map.of("vk_1", 0.5)).join();
    store.keys.addSpend(Map.of("vk_1", 0.25)).join();
    assertThat(store.keys.revoke("vk_1", T0 + 5).join()).isTrue();
    assertThat(store.keys.revoke("vk_1", T0 + 6).join()).as("already revoked").isFalse();
    assertThat(store.keys.revoke("vk_missing", T0).join()).isFalse();

    VirtualKey reread = store.keys.list().join().getFirst();
    assertThat(reread.spentUsd()).isCloseTo(0.75, within(1e-9));
    assertThat(reread.revokedMs()).isEqualTo(T0 + 5);
  }

  @Test
  void providersUpsertListAndDelete() throws Exception {
    store.providers.save("groq", Json.parse("{\"type\":\"openai\",\"preset\":\"groq\"}")).join();
    store.providers.save("local", Json.parse("{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:1\"}")).join();
    store.providers.save("groq", Json.parse("{\"type\":\"openai\",\"weight\":3}")).join();

    Map<String, JsonNode> all = store.providers.list().join();
    assertThat(all.keySet()).containsExactly("groq", "local");
    assertThat(all.get("groq").get("weight").asInt()).isEqualTo(3);
    assertThat(all.get("groq").has("preset")).isFalse();

    assertThat(store.providers.delete("groq").join()).isTrue();
    assertThat(store.providers.delete("groq").join()).isFalse();
    assertThat(store.providers.list().join().keySet()).containsExactly("local");
  }
}
