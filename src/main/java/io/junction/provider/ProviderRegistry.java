package io.junction.provider;

import io.junction.config.ProviderConfig;
import io.junction.config.VirtualModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live set of providers and virtual models. Changes replace the whole snapshot atomically, so
 * a request in flight keeps using the snapshot it started with.
 */
public final class ProviderRegistry {

  /** An immutable view: providers in config order, by name, and virtual models by name. */
  public record Snapshot(List<Provider> providers, Map<String, Provider> byName, Map<String, VirtualModelConfig> virtualModels) {
    public Provider provider(String name) { return byName.get(name); }

    /** Whether {@code model} is configured by name: a virtual model, or spelled out by {@code provider} (any provider when null). */
    public boolean configured(String provider, String model) {
      if (virtualModels.containsKey(model)) return true;
      if (provider != null) {
        Provider p = byName.get(provider);
        return p != null && p.names(model);
      }
      for (Provider p : providers) if (p.names(model)) return true;
      return false;
    }
  }

  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public ProviderRegistry(List<ProviderConfig> providers, List<VirtualModelConfig> virtualModels) {
    current.set(build(providers.stream().map(ProviderRegistry::instantiate).toList(), virtualModels));
  }

  public Snapshot snapshot() { return current.get(); }

  /** Runs {@code listener} after every change, on the thread that made it; it reads the new {@link #snapshot()}. */
  public void onChange(Runnable listener) { listeners.add(listener); }

  /** Adds or replaces one provider; runtime state of the others (keys, discovery) is kept. */
  public synchronized void put(ProviderConfig config) {
    Snapshot s = current.get();
    List<Provider> list = new ArrayList<>(s.providers());
    Provider fresh = instantiate(config);
    int at = indexOf(list, config.name());
    if (at >= 0) list.set(at, fresh);
    else list.add(fresh);
    current.set(build(list, List.copyOf(s.virtualModels().values())));
    listeners.forEach(Runnable::run);
  }

  /** Removes a provider; returns false if there was none by that name. */
  public synchronized boolean remove(String name) {
    Snapshot s = current.get();
    List<Provider> list = new ArrayList<>(s.providers());
    int at = indexOf(list, name);
    if (at < 0) return false;
    list.remove(at);
    current.set(build(list, List.copyOf(s.virtualModels().values())));
    listeners.forEach(Runnable::run);
    return true;
  }

  private static int indexOf(List<Provider> list, String name) {
    for (int i = 0; i < list.size(); i++) if (list.get(i).name().equals(name)) return i;
    return -1;
  }

  private static Provider instantiate(ProviderConfig c) { return new Provider(c, Adapters.forConfig(c)); }

  private static Snapshot build(List<Provider> providers, List<VirtualModelConfig> vms) {
    Map<String, Provider> byName = new LinkedHashMap<>();
    for (Provider p : providers) byName.put(p.name(), p);
    Map<String, VirtualModelConfig> byModel = new LinkedHashMap<>();
    for (VirtualModelConfig vm : vms) byModel.put(vm.name(), vm);
    return new Snapshot(List.copyOf(providers), Collections.unmodifiableMap(byName), Collections.unmodifiableMap(byModel));
  }
}
