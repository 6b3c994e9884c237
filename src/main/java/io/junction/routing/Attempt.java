package io.junction.routing;

/** One upstream try: which candidate and which key of its pool (-1 for keyless providers). */
public record Attempt(Candidate candidate, int keyIndex, int number) {
  public String apiKey() { return candidate.provider().keys.key(keyIndex); }
}
