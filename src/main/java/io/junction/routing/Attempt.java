package io.junction.routing;

/**
 * One upstream try: which candidate, which key of its pool (-1 for keyless providers), and how
 * long to wait before sending it (backoff or Retry-After; 0 for the first try of a candidate).
 */
public record Attempt(Candidate candidate, int keyIndex, int number, long delayMs) {
  public String apiKey() { return candidate.provider().keys.key(keyIndex); }
}
