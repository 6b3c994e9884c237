package io.junction.telemetry;

import io.junction.store.LogEntry;
import io.junction.store.UsageRollup;
import io.junction.store.UsageStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Per-minute usage rollups, folded on the telemetry writer's thread from the log rows it writes
 * (never on the request path) and saved with them. Each instance owns its rows (a random instance id), so the
 * read-merge-write of a minute needs no lock across instances; this instance keeps the minutes it
 * is still filling in memory and reads a row back only for a minute it no longer holds (a late row).
 */
public final class UsageRollups {
  /** Minutes kept in memory behind the newest one seen: rows arrive within a batch window or two. */
  private static final long KEEP_MS = 3 * 60_000;

  private final UsageStore store;
  private final String instance;
  private final Map<UsageRollup.Key, UsageRollup> open = new HashMap<>();
  private long newestBucket = Long.MIN_VALUE;

  public UsageRollups(UsageStore store) {
    this(store, UUID.randomUUID().toString());
  }

  /** {@code instance}: this writer's id in the rows it owns (a random one per process by default). */
  public UsageRollups(UsageStore store, String instance) {
    this.store = store;
    this.instance = instance;
  }

  /** This writer's id in the rows it owns. */
  public String instance() { return instance; }

  /**
   * Folds {@code rows} into their minutes and returns the minutes they touched, each with this
   * instance's full totals, for the caller to save (with the rows, in one transaction). Reads back
   * only a minute it no longer holds (a late row). Blocking; one thread only.
   */
  public Map<UsageRollup.Key, UsageRollup> fold(List<LogEntry> rows) {
    Map<UsageRollup.Key, UsageRollup> delta = new LinkedHashMap<>();
    for (LogEntry row : rows) {
      long bucket = row.timeMs() - Math.floorMod(row.timeMs(), 60_000L);
      UsageRollup.Key k = new UsageRollup.Key(bucket, nonNull(row.provider()), nonNull(row.model()), nonNull(row.keyId()));
      delta.computeIfAbsent(k, x -> new UsageRollup()).add(row);
      newestBucket = Math.max(newestBucket, bucket);
    }
    List<UsageRollup.Key> missing = delta.keySet().stream().filter(k -> !open.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      // A minute this instance may have written before (a late row, or one evicted): continue from its row.
      Map<UsageRollup.Key, UsageRollup> stored = store.load(instance, missing).join();
      for (UsageRollup.Key k : missing) open.put(k, stored.getOrDefault(k, new UsageRollup()));
    }
    Map<UsageRollup.Key, UsageRollup> touched = new LinkedHashMap<>();
    delta.forEach((k, d) -> {
      UsageRollup r = open.get(k);
      r.merge(d);
      touched.put(k, r);
    });
    open.keySet().removeIf(k -> k.bucketMs() < newestBucket - KEEP_MS && !touched.containsKey(k));
    return touched;
  }

  /** The minutes of a fold could not be saved: forget them, so the next fold reloads what the database holds. */
  public void unsaved(Collection<UsageRollup.Key> minutes) {
    minutes.forEach(open::remove);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
