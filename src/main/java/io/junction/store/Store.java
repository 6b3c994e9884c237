package io.junction.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Junction's persistent state: one {@link Database} and the table accessors built on it. Every
 * accessor method returns a {@link CompletableFuture} run on the database's
 * own threads.
 */
public final class Store implements AutoCloseable {
  public final Database database;
  public final RequestLogStore logs;
  public final VirtualKeyStore keys;
  public final ProviderStore providers;
  public final ResponseStore responses;
  public final UsageStore usage;

  private Store(Database database) {
    this.database = database;
    this.logs = new RequestLogStore(database);
    this.keys = new VirtualKeyStore(database);
    this.providers = new ProviderStore(database);
    this.responses = new ResponseStore(database);
    this.usage = new UsageStore(database);
  }

  /** Opens and migrates {@code jdbcUrl} (blocking; see {@link Database#open}). */
  public static Store open(String jdbcUrl) {
    return new Store(Database.open(jdbcUrl));
  }

  /**
   * One batch of telemetry in one transaction: request-log rows, attempt rows, and the usage
   * minutes they touched (this instance's full totals for each). One commit per batch, not three.
   */
  public CompletableFuture<Void> writeTelemetry(List<LogEntry> logs, List<AttemptEntry> attempts, String instance,
      Map<UsageRollup.Key, UsageRollup> minutes) {
    return database.transaction(c -> {
      RequestLogStore.insert(c, logs);
      RequestLogStore.insertAttempts(c, attempts);
      UsageStore.save(c, instance, minutes);
      return null;
    });
  }

  @Override
  public void close() {
    database.close();
  }
}
