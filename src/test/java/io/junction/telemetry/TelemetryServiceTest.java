package io.junction.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.junction.protocol.Usage;
import io.junction.store.LogEntry;
import io.junction.store.LogQuery;
import io.junction.store.Store;
import io.junction.testing.MutableClock;
import io.junction.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink end to end: events in, priced rows in SQLite and figures in the metrics. */
class TelemetryServiceTest {
  @TempDir Path dir;
  Store store;
  GatewayMetrics metrics;

  @BeforeEach
  void open() {
    store = Store.open(TestDatabases.sqlite(dir));
    metrics = new GatewayMetrics();
  }

  @AfterEach
  void close() {
    metrics.close();
    store.close();
  }

  @Test
  void closingTheSinkWritesEveryRequestWithItsCost() {
    TelemetryService sink = TelemetryService.create(metrics, store);
    for (int i = 0; i < 1_200; i++) {
      sink.attempt(new AttemptEvent("req-" + i, 1, "openai", "gpt-4o-2024-08-06", 0, 200, 900, null));
      sink.request(new RequestEvent(1_000L + i, "req-" + i, "vk_1", "openai", "gpt-4o", "openai",
          "gpt-4o-2024-08-06", false, 200, 1_000, -1, new Usage(1_000_000, 100_000, 0, 0, 0), 1, null,
          Pricing.catalog().bill("openai", "gpt-4o-2024-08-06", new Usage(1_000_000, 100_000, 0, 0, 0)), 0));
    }
    sink.close();

    List<LogEntry> rows = store.logs.query(new LogQuery(null, null, null, 1000, null, null)).join();
    assertThat(rows).hasSize(1000);
    assertThat(store.logs.query(new LogQuery(null, null, null, 1000, rows.getLast().id(), null)).join()).hasSize(200);
    assertThat(rows.getFirst().costUsd()).as("2.50 + 0.1 * 10").isCloseTo(3.5, within(1e-9));
    assertThat(metrics.snapshot("openai").totals().costUsd()).isCloseTo(1_200 * 3.5, within(1e-6));
    assertThat(metrics.snapshot("openai").totals().attempts()).isEqualTo(1_200);
  }

  @Test
  void eachRowKeepsItsBillPartByPart() {
    Pricing pricing = Pricing.catalog();
    TelemetryService sink = TelemetryService.create(metrics, store);
    // claude-sonnet-4-5: 2000 in, 50000 cache reads, 4000 5m + 6000 1h writes, 1000 out (BillTest works it out).
    Usage usage = new Usage(62_000, 1_000, 50_000, 10_000, 0, 6_000, null);
    sink.request(new RequestEvent(1_000L, "req-bill", null, "anthropic", "claude-sonnet-4-5", "anthropic",
        "claude-sonnet-4-5-20250929", false, 200, 1_000, -1, usage, 1, null,
        pricing.bill("anthropic", "claude-sonnet-4-5-20250929", usage), 0));
    sink.close();

    LogEntry billed = store.logs.query(LogQuery.latest(10)).join().getFirst();
    assertThat(billed.cost()).isEqualTo(new Price.Cost(0.006, 0.015, 0.051, 0.015, "standard"));
    assertThat(billed.cost().inputUsd()).isCloseTo(0.006, within(1e-12));
    assertThat(billed.costUsd()).isCloseTo(0.087, within(1e-12));
    assertThat(billed.cacheWriteTokens()).isEqualTo(10_000);
  }

  @Test
  void onlyFailedAttemptsGetRowsAndTheAnsweringOneIsTheLogRow() {
    TelemetryService sink = TelemetryService.create(metrics, store);
    // Answered at once: one row in all. Answered by the second key after a 500: the failure's row, and the log row.
    sink.attempt(new AttemptEvent("req-once", 1, "openai", "gpt-4o", 0, 200, 900, null));
    sink.request(new RequestEvent(1_000L, "req-once", null, "openai", "gpt-4o", "openai", "gpt-4o", false, 200, 1_000, -1,
        Usage.ZERO, 1, null, Price.Cost.ZERO, 0));
    sink.attempt(new AttemptEvent("req-retry", 1, "openai", "gpt-4o", 0, 500, 400, "upstream 500"));
    sink.attempt(new AttemptEvent("req-retry", 2, "openai", "gpt-4o", 1, 200, 900, null));
    sink.request(new RequestEvent(System.currentTimeMillis(), "req-retry", null, "openai", "gpt-4o", "openai", "gpt-4o",
        false, 200, 1_500, -1, Usage.ZERO, 2, null, Price.Cost.ZERO, 1));
    sink.close();

    long attemptRows = store.database.call(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM request_attempts")) {
        rs.next();
        return rs.getLong(1);
      }
    }).join();
    assertThat(attemptRows).isEqualTo(1);
    List<LogEntry> rows = store.logs.query(LogQuery.latest(10)).join();
    var once = store.logs.detail(rows.get(1).id()).join().attempts();
    assertThat(once).extracting(a -> a.attempt() + ":" + a.keyIndex() + ":" + a.status()).containsExactly("1:0:200");
    var retry = store.logs.detail(rows.get(0).id()).join().attempts();
    assertThat(retry).extracting(a -> a.attempt() + ":" + a.keyIndex() + ":" + a.status()).containsExactly("1:0:500", "2:1:200");
    assertThat(retry.getFirst().error()).isEqualTo("upstream 500");
  }

  @Test
  void retentionPrunesOnlyRowsOlderThanTheWindowAndZeroKeepsAll() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T00:00:00Z"));
    long now = clock.millis();
    long day = Duration.ofDays(1).toMillis();
    store.logs.insert(List.of(old(now - 31 * day), old(now - 29 * day))).join();

    assertThat(new LogRetention(store.logs, 0, clock).pruneNow().join()).isZero();
    assertThat(new LogRetention(store.logs, 30, clock).pruneNow().join()).isEqualTo(1);
    assertThat(store.logs.query(LogQuery.latest(10)).join()).extracting(LogEntry::timeMs).containsExactly(now - 29 * day);
  }

  private static LogEntry old(long time) {
    return LogEntry.of(new RequestEvent(time, "r" + time, null, "openai", "m", "p", "m", false, 200, 1, -1,
        Usage.ZERO, 1, null, Price.Cost.ZERO, -1));
  }
}
