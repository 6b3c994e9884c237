package io.junction.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.store.BudgetPeriod;
import io.junction.store.KeyBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What {@code POST /api/v1/keys} asks for. Null limits mean unlimited; no models means all; no budgets means no budget. */
public record KeySpec(String name, List<String> allowedModels, Integer rpm, Long tpm, List<KeyBudget> budgets) {
  private static final Set<String> FIELDS = Set.of("name", "allowed_models", "rpm", "tpm", "budget_usd", "budget_period", "budgets");
  private static final Set<String> BUDGET_FIELDS = Set.of("budget_usd", "budget_period");
  private static final List<String> PERIODS = Arrays.stream(BudgetPeriod.values()).map(BudgetPeriod::id).toList();

  public KeySpec {
    allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
    budgets = budgets == null ? List.of() : List.copyOf(budgets);
  }

  /**
   * Reads and validates a request body: {@code {"name": "...", "allowed_models": ["gpt-4o*"],
   * "rpm": 60, "tpm": 100000, "budget_usd": 25.0, "budget_period": "monthly", "budgets":
   * [{"budget_usd": 2, "budget_period": "daily"}]}}; only {@code name} is required. A budget without
   * a period is a total that never resets. Throws a 400 {@link GatewayException} naming the first bad field.
   */
  public static KeySpec fromJson(JsonNode body) {
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "The body must be a JSON object");
    body.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) throw GatewayException.invalid(f, "Unknown field '" + f + "'; expected one of " + FIELDS);
    });
    String name = Json.string(body, "name", "name");
    if (name == null || name.isBlank()) throw GatewayException.invalid("name", "'name' is required");
    List<String> models = new ArrayList<>();
    ArrayNode array = Json.arrayField(body, "allowed_models", "allowed_models");
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode m = array.get(i);
        if (!m.isTextual() || m.asText().isBlank()) {
          throw GatewayException.invalid("allowed_models[" + i + "]", "'allowed_models[" + i + "]' must be a non-empty string");
        }
        models.add(m.asText().strip());
      }
    }
    Integer rpm = Json.integer(body, "rpm", "rpm");
    Double tpm = Json.number(body, "tpm", "tpm");
    if (rpm != null && rpm < 1) throw GatewayException.invalid("rpm", "'rpm' must be at least 1");
    if (tpm != null && (tpm < 1 || tpm != Math.rint(tpm))) throw GatewayException.invalid("tpm", "'tpm' must be a positive integer");

    List<KeyBudget> budgets = new ArrayList<>();
    KeyBudget top = budget(body, "");
    if (top != null) budgets.add(top);
    else if (body.hasNonNull("budget_period")) throw GatewayException.invalid("budget_period", "'budget_period' needs 'budget_usd'");
    ArrayNode list = Json.arrayField(body, "budgets", "budgets");
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        String at = "budgets[" + i + "].";
        JsonNode b = list.get(i);
        if (!b.isObject()) throw GatewayException.invalid("budgets[" + i + "]", "'budgets[" + i + "]' must be an object");
        b.fieldNames().forEachRemaining(f -> {
          if (!BUDGET_FIELDS.contains(f)) throw GatewayException.invalid(at + f, "Unknown field '" + at + f + "'; expected one of " + BUDGET_FIELDS);
        });
        KeyBudget kb = budget(b, at);
        if (kb == null) throw GatewayException.invalid(at + "budget_usd", "'" + at + "budget_usd' is required");
        budgets.add(kb);
      }
    }
    EnumSet<BudgetPeriod> seen = EnumSet.noneOf(BudgetPeriod.class);
    for (KeyBudget b : budgets) {
      if (!seen.add(b.period())) {
        throw GatewayException.invalid("budgets", "Only one budget per period; '" + b.period().id() + "' is given twice");
      }
    }
    return new KeySpec(name.strip(), models, rpm, tpm == null ? null : tpm.longValue(), budgets);
  }

  /** The budget {@code node} gives with {@code budget_usd} and {@code budget_period}, or null without an amount. */
  private static KeyBudget budget(JsonNode node, String at) {
    Double usd = Json.number(node, "budget_usd", at + "budget_usd");
    String period = Json.string(node, "budget_period", at + "budget_period");
    if (usd == null) return null;
    if (!(usd >= 0)) throw GatewayException.invalid(at + "budget_usd", "'" + at + "budget_usd' must be 0 or more");
    BudgetPeriod p = period == null ? BudgetPeriod.TOTAL : BudgetPeriod.of(period);
    if (p == null) throw GatewayException.invalid(at + "budget_period", "'" + at + "budget_period' must be one of " + PERIODS);
    return new KeyBudget(p, usd);
  }
}
