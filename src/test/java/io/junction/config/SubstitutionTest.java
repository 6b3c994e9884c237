package io.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstitutionTest {
  private static final Map<String, String> ENV = Map.of("HOST", "example.com", "EMPTY", "");

  @Test
  void replacesVariablesAnywhereInTheText() {
    assertThat(Substitution.apply("https://${HOST}:8080/${HOST}", ENV).value())
        .isEqualTo("https://example.com:8080/example.com");
    assertThat(Substitution.apply("no references", ENV).value()).isEqualTo("no references");
  }

  @Test
  void defaultsApplyWhenUnsetOrEmpty() {
    assertThat(Substitution.apply("${NOPE:-fallback}", ENV).value()).isEqualTo("fallback");
    assertThat(Substitution.apply("${EMPTY:-fallback}", ENV).value()).isEqualTo("fallback");
    assertThat(Substitution.apply("${HOST:-fallback}", ENV).value()).isEqualTo("example.com");
    assertThat(Substitution.apply("${NOPE:-}", ENV).value()).isEmpty();
    assertThat(Substitution.apply("${NOPE:-http://a:1/b}", ENV).value()).isEqualTo("http://a:1/b");
  }

  @Test
  void reportsTheFirstUnsetVariable() {
    Substitution.Outcome o = Substitution.apply("${HOST}/${MISSING}/${OTHER}", ENV);
    assertThat(o.value()).isNull();
    assertThat(o.missingVariable()).isEqualTo("MISSING");
  }

  @Test
  void doubleDollarIsALiteral() {
    assertThat(Substitution.apply("$${HOST} costs $5", ENV).value()).isEqualTo("${HOST} costs $5");
    assertThat(Substitution.apply(Substitution.escape("a${b}"), ENV).value()).isEqualTo("a${b}");
  }

  @Test
  void malformedReferencesAreReported() {
    assertThat(Substitution.apply("${UNCLOSED", ENV).malformed()).contains("malformed");
    assertThat(Substitution.apply("${1BAD}", ENV).malformed()).contains("malformed");
  }
}
