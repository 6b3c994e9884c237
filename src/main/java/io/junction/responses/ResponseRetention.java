package io.junction.responses;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes stored responses past {@code responses.retention_days}, at start and then hourly (reads
 * already ignore expired rows, so the prune only reclaims space). 0 days keeps everything.
 */
public final class ResponseRetention implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseRetention.class);
  private final ResponsesState state;
  private ScheduledExecutorService scheduler;

  public ResponseRetention(ResponsesState state) { this.state = state; }

  public synchronized ResponseRetention start() {
    if (state.retentionDays() > 0 && scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
          .name("junction-response-retention").daemon().unstarted(r));
      scheduler.scheduleAtFixedRate(() -> {
        try {
          state.pruneNow().join();
        } catch (RuntimeException e) {
          LOG.warn("response retention failed: {}", e.toString()); // retried next period
        }
      }, 0, TimeUnit.HOURS.toMillis(1), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) scheduler.shutdownNow();
  }
}
