package io.junction.admin;

import io.junction.store.ChangeListener;
import io.junction.store.Database;
import io.junction.store.Store;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's providers and virtual keys in step with changes made through another
 * instance's management API: PostgreSQL announces each change as it commits (LISTEN/NOTIFY, see
 * {@link ChangeListener}) and the announced kind is reloaded at once; every {@code reloadMs} both
 * are reloaded anyway, the safety net for announcements missed while the listener reconnected.
 */
public final class ChangePropagation implements AutoCloseable {
  public static final long DEFAULT_RELOAD_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(ChangePropagation.class);

  private final VirtualKeys keys;
  private final ManagedProviders providers;
  private final ChangeListener listener;
  private final ScheduledExecutorService timer;

  private ChangePropagation(Store store, VirtualKeys keys, ManagedProviders providers, long reloadMs) {
    this.keys = keys;
    this.providers = providers;
    this.listener = ChangeListener.start(store.database, this::reload);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("junction-reload").daemon().unstarted(r));
    timer.scheduleWithFixedDelay(() -> reload(Set.of(Database.KEYS_CHANGED, Database.PROVIDERS_CHANGED)),
        reloadMs, reloadMs, TimeUnit.MILLISECONDS);
  }

  public static ChangePropagation start(Store store, VirtualKeys keys, ManagedProviders providers, long reloadMs) {
    return new ChangePropagation(store, keys, providers, reloadMs);
  }

  /** Reloads what {@code kinds} names; waits for it, so announcements are applied one batch at a time. */
  private void reload(Set<String> kinds) {
    CompletableFuture<Void> k = kinds.contains(Database.KEYS_CHANGED) ? keys.reload() : CompletableFuture.completedFuture(null);
    CompletableFuture<Void> p = kinds.contains(Database.PROVIDERS_CHANGED) ? providers.reload() : CompletableFuture.completedFuture(null);
    try {
      CompletableFuture.allOf(k, p).join();
    } catch (RuntimeException e) {
      LOG.warn("reloading {} failed; serving from memory until the next reload: {}", kinds, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (listener != null) listener.close();
  }
}
