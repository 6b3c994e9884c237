package io.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.Protocol;
import io.junction.provider.Adapters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code responses.retention_days} and the provider field {@code responses_api} (CONTRACT §2, §7). */
class ResponsesConfigTest {
  static ConfigLoader.Result load(String yaml) { return ConfigLoader.fromYaml(yaml, Map.of()); }

  static ProviderConfig provider(ConfigLoader.Result r, String name) {
    return r.config().providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  static boolean servesResponses(ProviderConfig p) { return Adapters.forType(p.type()).serves(Protocol.RESPONSES, p); }

  @Test
  void retentionDefaultsTo30DaysAndIsValidated() {
    assertThat(load("providers: [{name: a, type: openai}]").config().responses().retentionDays()).isEqualTo(30);
    assertThat(load("responses: {retention_days: 7}\nproviders: [{name: a, type: openai}]").config().responses().retentionDays()).isEqualTo(7);
    assertThat(load("responses: {retention_days: -1}").errors()).anyMatch(p -> p.startsWith("responses.retention_days"));
    assertThat(load("responses: {keep: 1}").errors()).anyMatch(p -> p.startsWith("responses.keep"));
  }

  @Test
  void responsesApiDefaultsFollowTheContract() {
    ConfigLoader.Result r = load("""
        providers:
          - {name: openai, type: openai}
          - {name: plain, type: openai}
          - {name: groq, preset: groq}
          - {name: az, type: azure, base_url: "https://x.openai.azure.com"}
          - {name: closed, type: openai, responses_api: false}
          - {name: local, preset: groq, responses_api: true}
          - {name: resp, type: openai-responses}
          - {name: claude, type: anthropic}
        """);
    assertThat(r.errors()).isEmpty();
    assertThat(servesResponses(provider(r, "openai"))).isTrue();
    assertThat(servesResponses(provider(r, "plain"))).isTrue();
    assertThat(servesResponses(provider(r, "groq"))).isFalse();
    assertThat(servesResponses(provider(r, "az"))).isTrue();
    assertThat(servesResponses(provider(r, "closed"))).isFalse();
    assertThat(servesResponses(provider(r, "local"))).isTrue();
    assertThat(servesResponses(provider(r, "resp"))).isTrue();
    assertThat(servesResponses(provider(r, "claude"))).isFalse();
    assertThat(load("providers: [{name: a, type: openai, responses_api: maybe}]").errors())
        .anyMatch(p -> p.startsWith("providers[0].responses_api"));
  }
}
