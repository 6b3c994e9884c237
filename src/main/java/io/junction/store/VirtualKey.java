package io.junction.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A virtual key as stored: everything but the secret, of which only the SHA-256 hex digest is
 * kept. Null limits mean unlimited; {@code allowedModels} empty means every model (globs allowed);
 * {@code budgets} holds at most one budget per period. Spend lives apart (table key_spend): it
 * changes with every call, the key does not.
 */
public record VirtualKey(
    String id, String name, String secretHash, List<String> allowedModels,
    Integer rpm, Long tpm, List<KeyBudget> budgets, long createdMs, Long revokedMs) {

  public VirtualKey {
    allowedModels = List.copyOf(allowedModels);
    budgets = budgets.stream().sorted(java.util.Comparator.comparing(KeyBudget::period)).toList(); // one order, whatever the source
  }

  public boolean revoked() { return revokedMs != null; }

  public VirtualKey withRevoked(long atMs) {
    return new VirtualKey(id, name, secretHash, allowedModels, rpm, tpm, budgets, createdMs, atMs);
  }

  /** The total (never resetting) budget, or null. */
  public Double totalBudgetUsd() {
    for (KeyBudget b : budgets) if (b.period() == BudgetPeriod.TOTAL) return b.usd();
    return null;
  }

  /**
   * The management API's shape; never includes the secret or its hash. {@code spent} gives the
   * spend of each period as of {@code nowMs}; {@code budget_usd}/{@code spent_usd} are the total's.
   */
  public ObjectNode toJson(ToDoubleFunction<BudgetPeriod> spent, long nowMs) {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("name", name);
    allowedModels.forEach(n.putArray("allowed_models")::add);
    n.put("rpm", rpm);
    n.put("tpm", tpm);
    n.put("budget_usd", totalBudgetUsd());
    n.put("spent_usd", spent.applyAsDouble(BudgetPeriod.TOTAL));
    ArrayNode list = n.putArray("budgets");
    for (KeyBudget b : budgets) {
      ObjectNode o = list.addObject();
      o.put("budget_usd", b.usd());
      o.put("budget_period", b.period().id());
      o.put("spent_usd", spent.applyAsDouble(b.period()));
      long end = b.period().endMs(nowMs);
      o.put("resets_at", end == Long.MAX_VALUE ? null : Instant.ofEpochMilli(end).toString());
    }
    n.put("created", Instant.ofEpochMilli(createdMs).toString());
    n.put("revoked", revokedMs == null ? null : Instant.ofEpochMilli(revokedMs).toString());
    return n;
  }
}
