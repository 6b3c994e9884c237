package io.junction.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.admin.UsageLimiter.BudgetWindow;
import io.junction.store.BudgetPeriod;
import io.junction.store.KeyBudget;
import io.junction.store.SpendKey;
import io.junction.store.VirtualKey;
import io.junction.store.VirtualKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual keys: created, listed and revoked through the store, and answered from memory for
 * authentication (no database call per request). The memory is loaded at start and replaced by
 * {@link #reload()} — when another instance announces a change, and periodically — so it keeps
 * serving from the last copy while the database is away.
 *
 * <p>Spend: each call's cost is added here per budget period (and to the key's total) and written
 * to key_spend every {@link #SPEND_FLUSH_SECONDS} s and on close, as additions, so every instance
 * adds its own. What the database held at the last load plus what this instance has not written
 * yet is what the management API shows, and what seeds a limiter's budget counters.
 */
public final class VirtualKeys implements AutoCloseable {
  public static final String SECRET_PREFIX = "jk-";
  static final int SPEND_FLUSH_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(VirtualKeys.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final VirtualKeyStore store;
  private final Clock clock;
  /** Immutable snapshots, replaced whole: a reload never shows a half-filled map to a request. */
  private volatile Map<String, VirtualKey> byId = Map.of();
  /** Unrevoked keys by secret hash. */
  private volatile Map<String, VirtualKey> byHash = Map.of();
  private final Map<SpendKey, Double> persisted = new ConcurrentHashMap<>();
  private final Map<SpendKey, DoubleAdder> unsaved = new ConcurrentHashMap<>();
  private ScheduledExecutorService flusher;

  private VirtualKeys(VirtualKeyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Loads every key and the current periods' spend into memory. */
  public static CompletableFuture<VirtualKeys> load(VirtualKeyStore store, Clock clock) {
    VirtualKeys k = new VirtualKeys(store, clock);
    return k.reload().thenApply(v -> k);
  }

  /** Replaces the in-memory keys and spend with the database's. */
  public CompletableFuture<Void> reload() {
    long now = clock.millis();
    return store.list().thenCombine(store.currentSpend(now), (keys, spend) -> {
      Map<String, VirtualKey> ids = new HashMap<>();
      Map<String, VirtualKey> hashes = new HashMap<>();
      for (VirtualKey k : keys) {
        ids.put(k.id(), k);
        if (!k.revoked()) hashes.put(k.secretHash(), k);
      }
      synchronized (this) {
        byId = Map.copyOf(ids);
        byHash = Map.copyOf(hashes);
        persisted.clear();
        persisted.putAll(spend);
      }
      return null;
    });
  }

  /** Starts the periodic spend flush. */
  public synchronized VirtualKeys start() {
    if (flusher == null) {
      flusher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
          .name("junction-key-spend").daemon().unstarted(r));
      flusher.scheduleWithFixedDelay(() -> {
        try {
          flushSpend().join();
        } catch (RuntimeException e) {
          LOG.warn("saving virtual-key spend failed, will retry: {}", e.toString());
        }
      }, SPEND_FLUSH_SECONDS, SPEND_FLUSH_SECONDS, TimeUnit.SECONDS);
    }
    return this;
  }

  /** Creates a key; the returned secret is not stored anywhere (only its SHA-256). */
  public CompletableFuture<CreatedKey> create(KeySpec spec) {
    String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    String id = "vk_" + HexFormat.of().formatHex(randomBytes(8));
    VirtualKey key = new VirtualKey(id, spec.name(), hash(secret), spec.allowedModels(), spec.rpm(), spec.tpm(),
        spec.budgets(), clock.millis(), null);
    return store.insert(key).thenApply(v -> {
      cache(key);
      return new CreatedKey(key, secret, json(key));
    });
  }

  /** Every key, revoked ones included, oldest first. */
  public List<VirtualKey> list() {
    return byId.values().stream()
        .sorted(Comparator.comparingLong(VirtualKey::createdMs).thenComparing(VirtualKey::id))
        .toList();
  }

  /** The management API's view of {@code k}, with its spend in each current period; never the secret. */
  public ObjectNode json(VirtualKey k) {
    long now = clock.millis();
    return k.toJson(p -> spent(k.id(), p, now), now);
  }

  /** Revokes {@code id}; completes with false if there is no such unrevoked key. Effective at once for new requests. */
  public CompletableFuture<Boolean> revoke(String id) {
    long now = clock.millis();
    return store.revoke(id, now).thenApply(revoked -> {
      VirtualKey k = byId.get(id);
      if (revoked && k != null) cache(k.withRevoked(now));
      return revoked;
    });
  }

  /** The unrevoked key whose secret is {@code secret}. */
  public Optional<VirtualKey> bySecret(String secret) {
    return secret == null ? Optional.empty() : Optional.ofNullable(byHash.get(hash(secret)));
  }

  /** The key {@code id}, revoked or not. */
  public Optional<VirtualKey> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** USD {@code id} has spent in the {@code period} containing {@code nowMs}, as far as this instance knows. */
  public double spent(String id, BudgetPeriod period, long nowMs) {
    SpendKey s = new SpendKey(id, period, period.startMs(nowMs));
    DoubleAdder local = unsaved.get(s);
    return persisted.getOrDefault(s, 0.0) + (local == null ? 0 : local.sum());
  }

  /** {@code k}'s budgets as they apply at {@code nowMs}. */
  public List<BudgetWindow> budgetWindows(VirtualKey k, long nowMs) {
    if (k.budgets().isEmpty()) return List.of();
    List<BudgetWindow> out = new ArrayList<>(k.budgets().size());
    for (KeyBudget b : k.budgets()) {
      out.add(new BudgetWindow(b.period(), b.usd(), b.period().startMs(nowMs), b.period().endMs(nowMs),
          spent(k.id(), b.period(), nowMs)));
    }
    return out;
  }

  /** Accounts {@code usd} to {@code id}'s total and each of its budget periods; in the database at the next flush. */
  public void addSpend(String id, double usd) {
    if (usd <= 0) return;
    long now = clock.millis();
    add(new SpendKey(id, BudgetPeriod.TOTAL, 0), usd);
    VirtualKey k = byId.get(id);
    if (k == null) return;
    for (KeyBudget b : k.budgets()) {
      if (b.period() != BudgetPeriod.TOTAL) add(new SpendKey(id, b.period(), b.period().startMs(now)), usd);
    }
  }

  private void add(SpendKey s, double usd) {
    unsaved.computeIfAbsent(s, x -> new DoubleAdder()).add(usd);
  }

  /** Writes spend accumulated since the last flush; on failure it stays pending for the next one. */
  public CompletableFuture<Void> flushSpend() {
    Map<SpendKey, Double> batch = new HashMap<>();
    synchronized (this) {
      unsaved.forEach((s, adder) -> {
        double usd = adder.sumThenReset();
        if (usd != 0) {
          batch.put(s, usd);
          persisted.merge(s, usd, Double::sum); // as the database will have it
        }
      });
    }
    return store.addSpend(batch).whenComplete((v, e) -> {
      if (e == null) return;
      synchronized (this) {
        batch.forEach((s, usd) -> {
          persisted.merge(s, -usd, Double::sum);
          add(s, usd);
        });
      }
    });
  }

  /** Stops the periodic flush and saves pending spend. Blocking. */
  @Override
  public synchronized void close() {
    if (flusher != null) flusher.shutdownNow();
    try {
      flushSpend().join();
    } catch (RuntimeException e) {
      LOG.warn("virtual-key spend not saved at stop: {}", e.toString());
    }
  }

  /** SHA-256 hex of a secret: enough for 256-bit random secrets, which cannot be guessed from a hash. */
  static String hash(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private synchronized void cache(VirtualKey k) {
    Map<String, VirtualKey> ids = new HashMap<>(byId);
    Map<String, VirtualKey> hashes = new HashMap<>(byHash);
    ids.put(k.id(), k);
    if (k.revoked()) hashes.remove(k.secretHash());
    else hashes.put(k.secretHash(), k);
    byId = Map.copyOf(ids);
    byHash = Map.copyOf(hashes);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
