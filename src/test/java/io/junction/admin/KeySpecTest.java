package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
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
        .isEqualTo(new KeySpec("ci", List.of("gpt-4o*"), 60, 100_000L, 2.5));
    assertThat(parse("{\"name\":\"open\"}")).isEqualTo(new KeySpec("open", List.of(), null, null, null));
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
