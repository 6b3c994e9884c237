package io.junction.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ConfigLoader;
import io.junction.config.ProviderConfig;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.provider.Adapters;
import io.junction.provider.Provider;
import io.junction.provider.ProviderRegistry;
import io.junction.store.ProviderStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Providers created or replaced through the management API, layered over the configured ones
 * (file and environment). A stored provider replaces a configured one of the same name as a whole;
 * deleting it brings the configured one back. Changes are persisted first, then applied to the
 * live {@link ProviderRegistry}, one at a time so the store and the registry never disagree.
 *
 * <p>The built-in {@code echo} provider (registered only when nothing else is configured) steps
 * aside as soon as a real provider exists, and comes back when the last one is deleted.
 */
public final class ManagedProviders {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedProviders.class);

  /** Whether a delete removed the provider or brought its configured version back. */
  public record Removal(String name, boolean revertedToConfigured) {}

  private final Map<String, ProviderConfig> configured;
  private final ProviderConfig builtInEcho;
  private final ProviderStore store;
  private final ProviderRegistry registry;
  private final Map<String, String> env;
  private final Set<String> stored = ConcurrentHashMap.newKeySet();
  /** The stored body last seen per name (applied, or skipped as invalid): a reload re-applies only what changed. */
  private final Map<String, JsonNode> seen = new ConcurrentHashMap<>();
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  private ManagedProviders(List<ProviderConfig> configured, ProviderStore store, ProviderRegistry registry, Map<String, String> env) {
    this.configured = new LinkedHashMap<>();
    configured.forEach(p -> this.configured.put(p.name(), p));
    this.builtInEcho = configured.equals(List.of(ConfigLoader.echo())) ? configured.get(0) : null;
    this.store = store;
    this.registry = registry;
    this.env = env;
  }

  /**
   * Loads the stored providers and applies them over {@code configured} in {@code registry}
   * (blocking: run it before serving). A stored provider that no longer validates (an environment
   * variable it names is gone, say) is skipped with a warning rather than failing the start.
   */
  public static ManagedProviders start(List<ProviderConfig> configured, ProviderStore store, ProviderRegistry registry,
      Map<String, String> env) {
    ManagedProviders m = new ManagedProviders(configured, store, registry, env);
    Map<String, JsonNode> saved;
    try {
      saved = store.list().join();
    } catch (CompletionException e) {
      throw new IllegalStateException("cannot load stored providers: " + e.getCause().getMessage(), e.getCause());
    }
    m.apply(saved, false);
    return m;
  }

  /**
   * Re-reads the stored providers and applies what changed since this instance last saw them —
   * changes made through another instance's API. Providers whose stored body is unchanged keep
   * their live state (key cool-downs, breakers).
   */
  public CompletableFuture<Void> reload() {
    return serially(() -> store.list().thenAccept(saved -> apply(saved, true)));
  }

  private void apply(Map<String, JsonNode> saved, boolean announce) {
    saved.forEach((name, body) -> {
      if (body.equals(seen.get(name))) return;
      seen.put(name, body);
      List<String> problems = new ArrayList<>();
      ProviderConfig p = validate(name, body, problems);
      if (p == null) {
        LOG.warn("stored provider '{}' skipped: {}", name, String.join("; ", problems));
        return;
      }
      registry.put(p);
      stored.add(name);
      if (announce) LOG.info("provider '{}' changed in the database; applied", name);
    });
    for (String name : List.copyOf(seen.keySet())) {
      if (saved.containsKey(name)) continue;
      seen.remove(name);
      if (stored.remove(name)) {
        revert(name);
        if (announce) LOG.info("provider '{}' deleted in the database; removed", name);
      }
    }
    keepEchoOnlyWhenAlone();
  }

  /** Brings back the configured provider {@code name}, or removes it when there is none. */
  private boolean revert(String name) {
    ProviderConfig original = configured.get(name);
    if (original != null) registry.put(original);
    else registry.remove(name);
    return original != null;
  }

  /** Whether {@code name} was created or replaced through the API (as opposed to configured). */
  public boolean isStored(String name) { return stored.contains(name); }

  /** A provider as it went live, and whether it is new (rather than replacing one). */
  public record Applied(Provider provider, boolean created) {}

  /** Validates {@code body} (every problem in one 400), persists it, and makes it live. */
  public CompletableFuture<Applied> put(String name, JsonNode body) {
    List<String> problems = new ArrayList<>();
    ProviderConfig p = validate(name, body, problems);
    if (p == null) return CompletableFuture.failedFuture(new InvalidConfig(name, problems));
    return serially(() -> store.save(name, body).thenApply(v -> {
      boolean created = registry.snapshot().provider(name) == null;
      registry.put(p);
      stored.add(name);
      seen.put(name, body);
      keepEchoOnlyWhenAlone();
      return new Applied(registry.snapshot().provider(name), created);
    }));
  }

  /**
   * Deletes a provider created or replaced through the API: 404 when there is no such provider,
   * 409 when it comes from the config file or the environment (delete it there, or PUT it with
   * {@code enabled: false}), since an API delete of it would silently come back at the next start.
   */
  public CompletableFuture<Removal> delete(String name) {
    return serially(() -> {
      if (!stored.contains(name)) {
        if (configured.containsKey(name)) {
          throw new GatewayException(ErrorKind.INVALID_REQUEST, 409, "provider_configured", null,
              "Provider '" + name + "' comes from the config file or the environment; remove it there, "
                  + "or PUT it with \"enabled\": false");
        }
        throw notFound(name);
      }
      return store.delete(name).thenApply(deleted -> {
        stored.remove(name);
        seen.remove(name);
        boolean reverted = revert(name);
        keepEchoOnlyWhenAlone();
        return new Removal(name, reverted);
      });
    });
  }

  static GatewayException notFound(String name) {
    return new GatewayException(ErrorKind.NOT_FOUND, 404, "provider_not_found", null, "No provider named '" + name + "'");
  }

  /** The provider {@code body} describes, or null with {@code problems} filled. */
  private ProviderConfig validate(String name, JsonNode body, List<String> problems) {
    ConfigLoader.ProviderResult r = ConfigLoader.provider(name, body, env);
    if (!r.ok()) {
      problems.addAll(r.errors());
      return null;
    }
    if (!Adapters.types().contains(r.provider().type())) {
      problems.add("type: '" + r.provider().type() + "' has no adapter in this build; available: "
          + String.join(", ", Adapters.types().stream().sorted().toList()));
      return null;
    }
    return r.provider();
  }

  private void keepEchoOnlyWhenAlone() {
    if (builtInEcho == null || stored.contains(builtInEcho.name())) return;
    Set<String> names = registry.snapshot().byName().keySet();
    boolean others = names.stream().anyMatch(n -> !n.equals(builtInEcho.name()));
    if (others) registry.remove(builtInEcho.name());
    else if (names.isEmpty()) registry.put(builtInEcho);
  }

  /** Runs changes one after another: a change starts when the previous one has finished, failed or not. */
  private synchronized <T> CompletableFuture<T> serially(Supplier<CompletableFuture<T>> change) {
    CompletableFuture<T> next = tail.handle((v, e) -> null).thenCompose(x -> change.get());
    tail = next;
    return next;
  }

  /** A provider body with problems: a 400 listing every one of them. */
  public static final class InvalidConfig extends GatewayException {
    public final List<String> problems;

    InvalidConfig(String name, List<String> problems) {
      super(ErrorKind.INVALID_REQUEST, 400, "invalid_provider_config", null,
          "Invalid provider '" + name + "': " + String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }
  }
}
