package io.junction.catalog;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Values by model name, matched case-insensitively, most specific first:
 * <ol>
 *   <li>{@code provider/model} exactly (a provider's own entry for a model others serve too),
 *   <li>{@code model} exactly,
 *   <li>the longest known name that is a prefix of {@code provider/model}, then of {@code model},
 *       ending at a separator ({@code - _ : @ .}) — so dated snapshots such as
 *       {@code gpt-4o-2024-08-06} find {@code gpt-4o}, but {@code gpt-4o2} finds nothing.
 * </ol>
 * Bedrock cross-region inference ids ({@code us.anthropic.claude-…}) are also tried without the
 * region prefix. Shared by the price catalog and the model catalog so both resolve a name alike.
 */
public final class ModelNames<T> {
  private static final Pattern BEDROCK_REGION = Pattern.compile("^(us|eu|apac|jp|au|ca|us-gov|global)\\.(?=[a-z])");
  private static final int MEMO_LIMIT = 10_000;

  private final Map<String, T> byName;
  /** Resolved lookups, because prefix search walks every name; cleared if it grows past MEMO_LIMIT. */
  private final Map<String, Optional<T>> memo = new ConcurrentHashMap<>();

  public ModelNames(Map<String, T> values) {
    Map<String, T> lower = new HashMap<>();
    values.forEach((name, v) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), v));
    this.byName = Map.copyOf(lower);
  }

  public Map<String, T> all() { return byName; }

  public int size() { return byName.size(); }

  /** Whether {@code model} (or {@code provider/model}) is named exactly, no prefix match: a name known in advance. */
  public boolean contains(String provider, String model) {
    if (model == null || model.isBlank()) return false;
    String m = model.toLowerCase(java.util.Locale.ROOT);
    return byName.containsKey(m) || byName.containsKey(BEDROCK_REGION.matcher(m).replaceFirst(""))
        || (provider != null && byName.containsKey(provider.toLowerCase(java.util.Locale.ROOT) + "/" + m));
  }

  /** The value for {@code model} as served by {@code provider} (which may be null). */
  public Optional<T> find(String provider, String model) {
    if (model == null || model.isBlank()) return Optional.empty();
    String key = (provider == null ? "" : provider) + '\u0000' + model;
    Optional<T> hit = memo.get(key);
    if (hit != null) return hit;
    if (memo.size() >= MEMO_LIMIT) memo.clear();
    Optional<T> found = resolve(provider, model.toLowerCase(java.util.Locale.ROOT));
    memo.put(key, found);
    return found;
  }

  private Optional<T> resolve(String provider, String model) {
    String qualified = provider == null ? null : provider.toLowerCase(java.util.Locale.ROOT) + "/" + model;
    String unregioned = BEDROCK_REGION.matcher(model).replaceFirst("");
    for (String name : new String[] {qualified, model, unregioned}) {
      if (name != null && byName.containsKey(name)) return Optional.of(byName.get(name));
    }
    for (String name : new String[] {qualified, model, unregioned}) {
      T v = name == null ? null : longestPrefix(name);
      if (v != null) return Optional.of(v);
    }
    return Optional.empty();
  }

  private T longestPrefix(String name) {
    String best = null;
    for (String known : byName.keySet()) {
      if (name.length() > known.length() && name.startsWith(known) && isSeparator(name.charAt(known.length()))
          && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    return best == null ? null : byName.get(best);
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '_' || c == ':' || c == '@' || c == '.';
  }
}
