package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scrubber alone; {@code hostile.HostileUpstreamTest} covers it on the wire. */
class SecretsTest {
  private final Secrets secrets = new Secrets(List.of("my-local-key-123", "my-local-key-123456", "short"));

  private String scrub(String s) {
    return secrets.scrub(Buffer.buffer(s)).toString(StandardCharsets.UTF_8);
  }

  @Test
  void aBodyWithoutSecretsIsTheSameInstance() {
    Buffer body = Buffer.buffer("{\"usage\":{\"prompt_tokens\":5},\"text\":\"Ask Alice: sk-short is fine\"}");
    assertThat(secrets.scrub(body)).isSameAs(body);
  }

  @Test
  void configuredKeysAreReplacedWholeWhereverTheyAre() {
    assertThat(scrub("my-local-key-123")).isEqualTo("[redacted]");
    assertThat(scrub("bad key: my-local-key-123456!")).as("the longer key first").isEqualTo("bad key: [redacted]!");
    assertThat(scrub("xmy-local-key-123y")).as("inside a word too").isEqualTo("x[redacted]y");
    assertThat(scrub("a short word")).as("too short to look for").isEqualTo("a short word");
  }

  @Test
  void keyShapedTokensAreReplacedButNotOrdinaryWords() {
    assertThat(scrub("{\"error\":\"Incorrect API key provided: sk-proj-abcdefghijklmnop1234. Check it.\"}"))
        .isEqualTo("{\"error\":\"Incorrect API key provided: [redacted]. Check it.\"}");
    assertThat(scrub("AIzaSyA1234567890abcdefgh and AKIAIOSFODNN7EXAMPLE1")).isEqualTo("[redacted] and [redacted]");
    assertThat(scrub("risk-assessment-of-the-whole-plan")).as("sk- inside a word").isEqualTo("risk-assessment-of-the-whole-plan");
    assertThat(scrub("sk-too-short")).isEqualTo("sk-too-short");
    assertThat(scrub("ends with sk-abcdefghijklmnopqrst")).isEqualTo("ends with [redacted]");
  }

  @Test
  void aSliceIsScrubbedWithinItsOwnBounds() {
    // A buffer that is a window on a larger array: the byte before the window is not part of it.
    Buffer whole = Buffer.buffer("xsk-abcdefghijklmnopqrstu");
    Buffer window = whole.slice(1, whole.length());
    assertThat(secrets.scrub(window).toString(StandardCharsets.UTF_8)).isEqualTo("[redacted]");
  }

  @Test
  void multiByteTextAroundAKeySurvives() {
    assertThat(scrub("héllo my-local-key-123 wörld ✓")).isEqualTo("héllo [redacted] wörld ✓");
  }
}
