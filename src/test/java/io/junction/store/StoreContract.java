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
        12_345, -1, new Usage(100, 20, 30, 0, 0), 1, status >= 400 ? "boom" : null, total(cost), -1);
    return LogEntry.of(e);
  }

  /** A bill of {@code usd} in all (on the input part). */
  static io.junction.telemetry.Price.Cost total(double usd) {
    return new io.junction.telemetry.Price.Cost(usd, 0, 0, 0, null);
  }

  @Test
  void logsRoundTripEveryField() {
    RequestEvent e = new RequestEvent(T0, "req-1", "vk_1", "anthropic", "smart", "openai", "gpt-4o", true, 200,
        1_500_000, 250_000, new Usage(1000, 200, 300, 0, 0), 2, null, total(0.0123), 3);
    store.logs.insert(List.of(LogEntry.of(e))).join();

    LogEntry got = store.logs.query(LogQuery.latest(10)).join().getFirst();
    assertThat(got.id()).isPositive();
    assertThat(got).usingRecursiveComparison().ignoringFields("id").isEqualTo(
        new LogEntry(0, T0, "req-1", "vk_1", "anthropic", "openai", "gpt-4o", "smart", 200, 1500, 250L,
            1000, 200, 300, 0.0123, 2, null, true, 0, 0, total(0.0123), 3));
    JsonNode json = got.toJson();
    assertThat(json.get("time").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(json.get("ttft_ms").asLong()).isEqualTo(250);
    assertThat(json.get("key_id").asText()).isEqualTo("vk_1");
  }

  @Test
  void theCostBreakdownRoundTrips() {
    RequestEvent e = new RequestEvent(T0, "req-2", null, "anthropic", "claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5",
        false, 200, 1_000_000, -1, new Usage(62_000, 1_000, 50_000, 10_000, 400, 6_000, null), 1, null,
        new io.junction.telemetry.Price.Cost(0.006, 0.015, 0.051, 0.015, "standard"), 0);
    io.junction.telemetry.Price.Cost cost = e.cost();
    store.logs.insert(List.of(LogEntry.of(e))).join();
    LogEntry got = store.logs.query(LogQuery.latest(1)).join().getFirst();
    assertThat(got.cost()).isEqualTo(cost);
    assertThat(got.costUsd()).isEqualTo(cost.totalUsd());
    assertThat(got.cacheWriteTokens()).isEqualTo(10_000);
    assertThat(got.reasoningTokens()).isEqualTo(400);
    JsonNode breakdown = got.toJson().get("cost_breakdown");
    assertThat(breakdown.get("cache_write_usd").asDouble()).isEqualTo(0.051);
    assertThat(breakdown.get("tier").asText()).isEqualTo("standard");
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
    VirtualKey k = new VirtualKey("vk_1", "ci", "ab12", List.of("gpt-4o*", "claude-*"), 60, 100_000L,
        List.of(new KeyBudget(BudgetPeriod.TOTAL, 5.0), new KeyBudget(BudgetPeriod.DAILY, 1.0)), T0, null);
    VirtualKey open = new VirtualKey("vk_2", "open", "cd34", List.of(), null, null, List.of(), T0 + 1, null);
    store.keys.insert(k).join();
    store.keys.insert(open).join();

    assertThat(store.keys.list().join()).containsExactly(k, open);

    long today = BudgetPeriod.DAILY.startMs(T0);
    long yesterday = today - 86_400_000;
    SpendKey total = new SpendKey("vk_1", BudgetPeriod.TOTAL, 0);
    SpendKey daily = new SpendKey("vk_1", BudgetPeriod.DAILY, today);
    store.keys.addSpend(Map.of(total, 0.5, daily, 0.5, new SpendKey("vk_1", BudgetPeriod.DAILY, yesterday), 9.0)).join();
    store.keys.addSpend(Map.of(total, 0.25, daily, 0.25)).join();
    assertThat(store.keys.revoke("vk_1", T0 + 5).join()).isTrue();
    assertThat(store.keys.revoke("vk_1", T0 + 6).join()).as("already revoked").isFalse();
    assertThat(store.keys.revoke("vk_missing", T0).join()).isFalse();

    assertThat(store.keys.currentSpend(T0).join()).as("yesterday's period is over")
        .containsOnlyKeys(total, daily)
        .hasEntrySatisfying(total, v -> assertThat(v).isCloseTo(0.75, within(1e-9)))
        .hasEntrySatisfying(daily, v -> assertThat(v).isCloseTo(0.75, within(1e-9)));
    assertThat(store.keys.list().join().getFirst().revokedMs()).isEqualTo(T0 + 5);
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

  // ---- usage rollups and attempts ----

  static final long MIN = 60_000;

  static LogEntry timed(long time, String provider, String model, String keyId, int status, long latencyMs, double cost) {
    RequestEvent e = new RequestEvent(time, "req-" + time, keyId, "openai", model, provider, model, false, status,
        latencyMs * 1000, -1, new Usage(100, 20, 30, 0, 0), 1, null, total(cost), -1);
    return LogEntry.of(e);
  }

  /** Folds {@code rows} into {@code rollups} and saves the minutes, as the telemetry writer does (without the rows). */
  void fold(io.junction.telemetry.UsageRollups rollups, List<LogEntry> rows) {
    store.writeTelemetry(List.of(), List.of(), rollups.instance(), rollups.fold(rows)).join();
  }

  static UsageQuery usage(long from, long to, UsageQuery.Bucket bucket, String provider, String model, String key,
      UsageQuery.Dimension groupBy) {
    return new UsageQuery(from, to, bucket, provider, model, key, groupBy);
  }

  @Test
  void rollupsFoldMinutesAndMergeLatencyHistogramsExactly() {
    io.junction.telemetry.UsageRollups rollups = new io.junction.telemetry.UsageRollups(store.usage, "i1");
    // Minute 0: 98 fast calls; minute 1: one fast call and one 5 s error. Per-minute p99s are 10 ms
    // and 5000 ms; the hour's p99 over all 100 calls is 10 ms, which averaged percentiles never give.
    java.util.List<LogEntry> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 98; i++) batch.add(timed(T0 + i, "openai", "gpt-4o", "vk_a", 200, 10, 0.01));
    fold(rollups, batch);
    fold(rollups, List.of(timed(T0 + MIN, "openai", "gpt-4o", "vk_a", 200, 10, 0.01),
        timed(T0 + MIN + 5, "anthropic", "claude", null, 500, 5000, 0)));

    JsonNode minutes = store.usage.query(usage(T0, T0 + 3 * MIN, UsageQuery.Bucket.MINUTE, null, null, null, null)).join();
    assertThat(minutes.get("data")).hasSize(3);
    JsonNode m0 = minutes.get("data").get(0);
    assertThat(m0.get("start").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(m0.get("requests").asLong()).isEqualTo(98);
    assertThat(m0.get("errors").asLong()).isZero();
    assertThat(m0.get("input_tokens").asLong()).isEqualTo(9800);
    assertThat(m0.get("output_tokens").asLong()).isEqualTo(1960);
    assertThat(m0.get("cached_tokens").asLong()).isEqualTo(2940);
    assertThat(m0.get("cost_usd").asDouble()).isCloseTo(0.98, within(1e-9));
    assertThat(m0.get("latency_p99_ms").asLong()).isEqualTo(10);
    JsonNode m1 = minutes.get("data").get(1);
    assertThat(m1.get("requests").asLong()).isEqualTo(2);
    assertThat(m1.get("errors").asLong()).isEqualTo(1);
    assertThat(m1.get("latency_p99_ms").asLong()).isBetween(4950L, 5050L);
    JsonNode m2 = minutes.get("data").get(2);
    assertThat(m2.get("requests").asLong()).as("empty minutes are present, as zeros").isZero();
    assertThat(m2.get("latency_p50_ms").isNull()).isTrue();

    JsonNode hour = store.usage.query(usage(T0, T0 + 60 * MIN, UsageQuery.Bucket.HOUR, null, null, null, null)).join();
    assertThat(hour.get("data")).hasSize(1);
    assertThat(hour.get("data").get(0).get("requests").asLong()).isEqualTo(100);
    assertThat(hour.get("data").get(0).get("latency_p99_ms").asLong()).isEqualTo(10);
    assertThat(hour.get("data").get(0).get("latency_p50_ms").asLong()).isEqualTo(10);
  }

  @Test
  void rollupsFilterAndGroupByProviderModelAndKey() {
    io.junction.telemetry.UsageRollups rollups = new io.junction.telemetry.UsageRollups(store.usage, "i1");
    fold(rollups, List.of(
        timed(T0, "openai", "gpt-4o", "vk_a", 200, 5, 1.0),
        timed(T0 + 1, "openai", "gpt-4o-mini", "vk_b", 200, 5, 0.5),
        timed(T0 + 2, "anthropic", "claude", null, 200, 5, 2.0),
        timed(T0 + 3, null, null, null, 404, 1, 0)));
    UsageQuery.Bucket day = UsageQuery.Bucket.DAY;
    long to = T0 + 86_400_000L;
    assertThat(store.usage.query(usage(T0, to, day, "openai", null, null, null)).join()
        .at("/data/0/cost_usd").asDouble()).isCloseTo(1.5, within(1e-9));
    assertThat(store.usage.query(usage(T0, to, day, null, "gpt-4o", null, null)).join()
        .at("/data/0/requests").asLong()).isEqualTo(1);
    assertThat(store.usage.query(usage(T0, to, day, null, null, "vk_b", null)).join()
        .at("/data/0/cost_usd").asDouble()).isCloseTo(0.5, within(1e-9));
    assertThat(store.usage.query(usage(T0, to, day, null, null, CostReport.NO_KEY, null)).join()
        .at("/data/0/requests").asLong()).as("requests without a key").isEqualTo(2);
    assertThat(store.usage.query(usage(T0, to, day, CostReport.NONE, null, null, null)).join()
        .at("/data/0/errors").asLong()).as("requests that reached no provider").isEqualTo(1);

    JsonNode grouped = store.usage.query(usage(T0, to, day, null, null, null, UsageQuery.Dimension.PROVIDER)).join();
    assertThat(grouped.get("group_by").asText()).isEqualTo("provider");
    List<String> names = new java.util.ArrayList<>();
    grouped.get("groups").fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("anthropic", "none", "openai");
    assertThat(grouped.at("/groups/openai/0/requests").asLong()).isEqualTo(2);
    assertThat(grouped.at("/data/0/requests").asLong()).isEqualTo(4);
  }

  @Test
  void aLateRowForAMinuteNoLongerInMemoryAddsToItsStoredRow() {
    io.junction.telemetry.UsageRollups rollups = new io.junction.telemetry.UsageRollups(store.usage, "i1");
    fold(rollups, List.of(timed(T0, "openai", "gpt-4o", null, 200, 5, 1.0)));
    fold(rollups, List.of(timed(T0 + 10 * MIN, "openai", "gpt-4o", null, 200, 5, 1.0))); // minute 0 leaves memory
    fold(rollups, List.of(timed(T0 + 30, "openai", "gpt-4o", null, 200, 5, 1.0)));      // late row for minute 0
    // Another process (its own instance id) writing the same minute adds, never overwrites.
    fold(new io.junction.telemetry.UsageRollups(store.usage, "i2"), List.of(timed(T0 + 40, "openai", "gpt-4o", null, 200, 5, 1.0)));
    JsonNode m = store.usage.query(usage(T0, T0 + MIN, UsageQuery.Bucket.MINUTE, null, null, null, null)).join();
    assertThat(m.at("/data/0/requests").asLong()).isEqualTo(3);
    assertThat(m.at("/data/0/cost_usd").asDouble()).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void attemptsComeWithTheirRequestAndAllArePrunedTogether() {
    store.logs.insert(List.of(timed(T0 + 2_000, "openai", "gpt-4o", null, 200, 1_500, 0),
        timed(T0 + 90_000, "openai", "gpt-4o", null, 200, 5, 0))).join();
    store.writeTelemetry(List.of(), List.of(
        new AttemptEntry(T0 + 1_000, "req-" + (T0 + 2_000), 1, "backup", "gpt-4o", 0, 500, 400, "upstream 500"),
        new AttemptEntry(T0 + 2_000, "req-" + (T0 + 2_000), 2, "openai", "gpt-4o", 1, 200, 1_000, null),
        new AttemptEntry(T0 + 500_000, "req-" + (T0 + 2_000), 1, "openai", "gpt-4o", 0, 200, 5, null)), "i1", Map.of()).join();
    long id = store.logs.query(LogQuery.latest(10)).join().getLast().id();

    RequestLogStore.Detail d = store.logs.detail(id).join();
    assertThat(d.log().timeMs()).isEqualTo(T0 + 2_000);
    assertThat(d.attempts()).as("a later request reusing the id is not this one's attempt")
        .extracting(AttemptEntry::provider).containsExactly("backup", "openai");
    assertThat(d.attempts().getFirst().toJson().get("error").asText()).isEqualTo("upstream 500");
    assertThat(store.logs.detail(id + 1000).join()).isNull();

    fold(new io.junction.telemetry.UsageRollups(store.usage, "i1"), List.of(timed(T0, "openai", "gpt-4o", null, 200, 5, 0)));
    store.logs.deleteOlderThan(T0 + 60_000).join();
    assertThat(store.logs.detail(id).join()).isNull();
    assertThat(store.usage.query(usage(T0, T0 + MIN, UsageQuery.Bucket.MINUTE, null, null, null, null)).join()
        .at("/data/0/requests").asLong()).isZero();
    long attemptsLeft = store.database.call(c -> {
      try (java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM request_attempts")) {
        rs.next();
        return rs.getLong(1);
      }
    }).join();
    assertThat(attemptsLeft).isEqualTo(1);
  }
}
