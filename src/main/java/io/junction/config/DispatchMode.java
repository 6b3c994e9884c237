package io.junction.config;

/** How a provider takes part among the candidates for a model (CONTRACT §3.4). */
public enum DispatchMode {
  OFF, EXCLUSIVE, POOLED, FALLBACK;

  public static DispatchMode parse(String s) {
    return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
