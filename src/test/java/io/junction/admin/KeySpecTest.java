package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.store.BudgetPeriod;
import io.junction.store.KeyBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySpecTest {
  static KeySpec parse(String json) throws Exception {
    return KeySpec.fromJson(Json.parse(json));
  }

  static void rejects(String json, String param) {
    assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status).isEqualTo(400);
      assertThat(e.param).isEqualTo(param);
    });
  }

  @Test
  void readsEveryField() throws Exception {
    assertThat(parse("{\"name\":\" ci \",\"allowed_models\":[\"gpt-4o*\"],\"rpm\":60,\"tpm\":100000,\"budget_usd\":2.5}"))
        .isEqualTo(new KeySpec("ci", List.of("gpt-4o*"), 60, 100_000L, List.of(new KeyBudget(BudgetPeriod.TOTAL, 2.5))));
    assertThat(parse("{\"name\":\"open\"}")).isEqualTo(new KeySpec("open", List.of(), null, null, List.of()));
  }

  @Test
  void severalBudgetsOnePerPeriod() throws Exception {
    assertThat(parse("{\"name\":\"k\",\"budget_usd\":100,\"budgets\":[{\"budget_usd\":5,\"budget_period\":\"daily\"},"
        + "{\"budget_usd\":20,\"budget_period\":\"weekly\"},{\"budget_usd\":60,\"budget_period\":\"monthly\"}]}").budgets())
        .containsExactly(new KeyBudget(BudgetPeriod.TOTAL, 100), new KeyBudget(BudgetPeriod.DAILY, 5),
            new KeyBudget(BudgetPeriod.WEEKLY, 20), new KeyBudget(BudgetPeriod.MONTHLY, 60));
    assertThat(parse("{\"name\":\"k\",\"budget_usd\":3,\"budget_period\":\"daily\"}").budgets())
        .containsExactly(new KeyBudget(BudgetPeriod.DAILY, 3));
    rejects("{\"name\":\"x\",\"budget_usd\":1,\"budget_period\":\"hourly\"}", "budget_period");
    rejects("{\"name\":\"x\",\"budget_period\":\"daily\"}", "budget_period");
    rejects("{\"name\":\"x\",\"budgets\":[{\"budget_period\":\"daily\"}]}", "budgets[0].budget_usd");
    rejects("{\"name\":\"x\",\"budgets\":[{\"budget_usd\":1,\"every\":\"day\"}]}", "budgets[0].every");
    rejects("{\"name\":\"x\",\"budget_usd\":1,\"budgets\":[{\"budget_usd\":2}]}", "budgets");
  }

  @Test
  void rejectsBadFieldsByName() {
    rejects("{}", "name");
    rejects("{\"name\":\"x\",\"models\":[]}", "models");
    rejects("{\"name\":\"x\",\"allowed_models\":\"gpt-4o\"}", "allowed_models");
    rejects("{\"name\":\"x\",\"allowed_models\":[\"\"]}", "allowed_models[0]");
    rejects("{\"name\":\"x\",\"rpm\":0}", "rpm");
    rejects("{\"name\":\"x\",\"rpm\":\"60\"}", "rpm");
    rejects("{\"name\":\"x\",\"tpm\":1.5}", "tpm");
    rejects("{\"name\":\"x\",\"budget_usd\":-1}", "budget_usd");
    assertThatThrownBy(() -> KeySpec.fromJson(Json.array())).isInstanceOf(GatewayException.class);
  }
}
