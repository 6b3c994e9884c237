package io.junction.admin;

import io.junction.store.VirtualKey;
import io.junction.store.VirtualKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
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
 * authentication (loaded once at start, updated on every create/revoke — no database call per
 * request). Spend recorded against a key is added to the limiter at once and written to
 * {@code virtual_keys.spent_usd} every {@link #SPEND_FLUSH_SECONDS} s and on close.
 */
public final class VirtualKeys implements AutoCloseable {
  public static final String SECRET_PREFIX = "jk-";
  static final int SPEND_FLUSH_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(VirtualKeys.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final VirtualKeyStore store;
  private final UsageLimiter limiter;
  private final Clock clock;
  private final Map<String, VirtualKey> byId = new ConcurrentHashMap<>();
  /** Unrevoked keys by secret hash. */
  private final Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> unsavedSpend = new ConcurrentHashMap<>();
  private ScheduledExecutorService flusher;

  private VirtualKeys(VirtualKeyStore store, UsageLimiter limiter, Clock clock, List<VirtualKey> keys) {
    this.store = store;
    this.limiter = limiter;
    this.clock = clock;
    for (VirtualKey k : keys) {
      cache(k);
      limiter.addSpend(k.id(), k.spentUsd());
    }
  }

  /** Loads every key into memory and seeds the limiter with their persisted spend. */
  public static CompletableFuture<VirtualKeys> load(VirtualKeyStore store, UsageLimiter limiter, Clock clock) {
    return store.list().thenApply(keys -> new VirtualKeys(store, limiter, clock, keys));
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
        spec.budgetUsd(), 0, clock.millis(), null);
    return store.insert(key).thenApply(v -> {
      cache(key);
      return new CreatedKey(key, secret);
    });
  }

  /** Every key, revoked ones included, oldest first, with live spend; never secrets. */
  public List<VirtualKey> list() {
    return byId.values().stream()
        .map(k -> k.withSpent(limiter.spentUsd(k.id())))
        .sorted(Comparator.comparingLong(VirtualKey::createdMs).thenComparing(VirtualKey::id))
        .toList();
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

  /** Accounts {@code usd} to {@code id}: live in the limiter now, in the database at the next flush. */
  public void addSpend(String id, double usd) {
    if (usd <= 0) return;
    limiter.addSpend(id, usd);
    unsavedSpend.computeIfAbsent(id, k -> new DoubleAdder()).add(usd);
  }

  /** Writes spend accumulated since the last flush. */
  public CompletableFuture<Void> flushSpend() {
    Map<String, Double> batch = new HashMap<>();
    unsavedSpend.forEach((id, adder) -> {
      double usd = adder.sumThenReset();
      if (usd != 0) batch.put(id, usd);
    });
    return store.addSpend(batch).whenComplete((v, e) -> {
      if (e != null) batch.forEach((id, usd) -> unsavedSpend.computeIfAbsent(id, k -> new DoubleAdder()).add(usd));
    });
  }

  /** Stops the periodic flush and saves pending spend. Blocking. */
  @Override
  public synchronized void close() {
    if (flusher != null) flusher.shutdownNow();
    flushSpend().join();
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

  private void cache(VirtualKey k) {
    byId.put(k.id(), k);
    if (k.revoked()) byHash.remove(k.secretHash());
    else byHash.put(k.secretHash(), k);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
