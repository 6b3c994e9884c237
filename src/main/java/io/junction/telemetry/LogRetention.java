package io.junction.telemetry;

import io.junction.store.RequestLogStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes request logs older than {@code logs.retention_days}, at start and then hourly. 0 days keeps everything. */
public final class LogRetention implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
  private static final Duration PERIOD = Duration.ofHours(1);

  private final RequestLogStore logs;
  private final int retentionDays;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  public LogRetention(RequestLogStore logs, int retentionDays, Clock clock) {
    if (retentionDays < 0) throw new IllegalArgumentException("logs.retention_days must be 0 or more");
    this.logs = logs;
    this.retentionDays = retentionDays;
    this.clock = clock;
  }

  /** Schedules the hourly prune (nothing when retention is 0). */
  public synchronized LogRetention start() {
    if (retentionDays > 0 && scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
          .name("junction-log-retention").daemon().unstarted(r));
      scheduler.scheduleAtFixedRate(() -> {
        try {
          pruneNow().join();
        } catch (RuntimeException e) {
          LOG.warn("request-log retention failed: {}", e.toString()); // retried next period
        }
      }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Deletes rows older than the retention window now; completes with how many went. */
  public CompletableFuture<Integer> pruneNow() {
    if (retentionDays == 0) return CompletableFuture.completedFuture(0);
    long cutoff = clock.millis() - Duration.ofDays(retentionDays).toMillis();
    return logs.deleteOlderThan(cutoff);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) scheduler.shutdownNow();
  }
}
