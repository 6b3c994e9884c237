package io.junction.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.Usage;
import io.junction.store.LogEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestLogWriterTest {
  private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();

  private void countDrop(String reason, int rows) {
    drops.computeIfAbsent(reason, r -> new AtomicInteger()).addAndGet(rows);
  }

  private int dropped(String reason) {
    AtomicInteger n = drops.get(reason);
    return n == null ? 0 : n.get();
  }

  static LogEntry row(int i) {
    return LogEntry.of(new RequestEvent(i, "req-" + i, null, "openai", "m", "p", "m", false, 200, 1000, -1,
        new Usage(1, 1), 1, null, Price.Cost.ZERO, -1));
  }

  @Test
  void closeWritesEveryQueuedRowInBoundedBatches() {
    List<List<LogEntry>> batches = new CopyOnWriteArrayList<>();
    RequestLogWriter<LogEntry> writer = new RequestLogWriter<>(rows -> batches.add(List.copyOf(rows)), this::countDrop,
        5_000, 100, Duration.ofMillis(50));
    for (int i = 0; i < 3_000; i++) assertThat(writer.offer(row(i))).isTrue();
    writer.close();

    assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 100));
    assertThat(batches.stream().flatMap(List::stream).map(LogEntry::requestId).distinct().count()).isEqualTo(3_000);
    assertThat(drops).isEmpty();
    assertThat(writer.offer(row(-1))).as("closed writers take nothing").isFalse();
    assertThat(dropped("closed")).isEqualTo(1);
  }

  @Test
  void overflowDropsAndCountsInsteadOfBlocking() throws Exception {
    CountDownLatch sinkEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger written = new AtomicInteger();
    RequestLogWriter<LogEntry> writer = new RequestLogWriter<>(rows -> {
      sinkEntered.countDown();
      release.await(); // the database hangs
      written.addAndGet(rows.size());
    }, this::countDrop, 10, 1, Duration.ZERO);

    writer.offer(row(0));
    sinkEntered.await(); // the writer thread now holds row 0 and is stuck in the sink
    int accepted = 0;
    for (int i = 1; i <= 100; i++) if (writer.offer(row(i))) accepted++;

    // Every offer returned although the sink never did: offer() does not wait for the writer.
    assertThat(accepted).isEqualTo(10);
    assertThat(dropped("queue_full")).isEqualTo(90);
    assertThat(writer.pending()).isEqualTo(10);

    release.countDown();
    writer.close();
    assertThat(written.get()).isEqualTo(11);
  }

  @Test
  void rejectedBatchesAreCountedAndTheWriterKeepsGoing() {
    AtomicInteger calls = new AtomicInteger();
    List<LogEntry> written = new CopyOnWriteArrayList<>();
    RequestLogWriter<LogEntry> writer = new RequestLogWriter<>(rows -> {
      if (calls.getAndIncrement() == 0) throw new IllegalStateException("database is down");
      written.addAll(rows);
    }, this::countDrop, 100, 1, Duration.ZERO);
    writer.offer(row(1));
    writer.offer(row(2));
    writer.close();
    assertThat(dropped("write_failed")).isEqualTo(1);
    assertThat(written).extracting(LogEntry::requestId).containsExactly("req-2");
  }

  @Test
  void rowsWaitThroughADatabaseOutageAndAreWrittenWhenItReturns() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<LogEntry> written = new CopyOnWriteArrayList<>();
    RequestLogWriter writer = new RequestLogWriter(rows -> {
      if (calls.getAndIncrement() < 3) {
        throw new java.util.concurrent.CompletionException(new java.sql.SQLTransientConnectionException(
            "junction-postgresql - Connection is not available, request timed out after 10000ms"));
      }
      written.addAll(rows);
    }, this::countDrop, 100, 1, Duration.ZERO);
    writer.offer(row(1));
    writer.offer(row(2));
    while (written.size() < 2 && drops.isEmpty()) Thread.sleep(10); // written, or (the bug) dropped
    writer.close();
    assertThat(drops).isEmpty();
    assertThat(written).extracting(LogEntry::requestId).containsExactly("req-1", "req-2");
  }
}
