package io.junction.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import java.time.Instant;
import java.util.List;

/**
 * A virtual key as stored: everything but the secret, of which only the SHA-256 hex digest is
 * kept. Null limits mean unlimited; {@code allowedModels} empty means every model (globs allowed).
 * {@code spentUsd} is what was persisted last; live spend is in the usage limiter.
 */
public record VirtualKey(
    String id, String name, String secretHash, List<String> allowedModels,
    Integer rpm, Long tpm, Double budgetUsd, double spentUsd, long createdMs, Long revokedMs) {

  public VirtualKey {
    allowedModels = List.copyOf(allowedModels);
  }

  public boolean revoked() { return revokedMs != null; }

  public VirtualKey withSpent(double usd) {
    return new VirtualKey(id, name, secretHash, allowedModels, rpm, tpm, budgetUsd, usd, createdMs, revokedMs);
  }

  public VirtualKey withRevoked(long atMs) {
    return new VirtualKey(id, name, secretHash, allowedModels, rpm, tpm, budgetUsd, spentUsd, createdMs, atMs);
  }

  /** The management API's shape; never includes the secret or its hash. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("name", name);
    allowedModels.forEach(n.putArray("allowed_models")::add);
    n.put("rpm", rpm);
    n.put("tpm", tpm);
    n.put("budget_usd", budgetUsd);
    n.put("spent_usd", spentUsd);
    n.put("created", Instant.ofEpochMilli(createdMs).toString());
    n.put("revoked", revokedMs == null ? null : Instant.ofEpochMilli(revokedMs).toString());
    return n;
  }
}
