package io.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error bodies in Anthropic's documented shape, and error messages read from Anthropic's bodies. */
class AnthropicErrorsTest {
  private final AnthropicCodec codec = new AnthropicCodec();

  @ParameterizedTest
  @CsvSource({
      "INVALID_REQUEST, invalid_request_error", "AUTHENTICATION, authentication_error", "PERMISSION, permission_error",
      "NOT_FOUND, not_found_error", "REQUEST_TOO_LARGE, request_too_large", "RATE_LIMIT, rate_limit_error",
      "API_ERROR, api_error", "BAD_GATEWAY, api_error", "OVERLOADED, overloaded_error", "TIMEOUT, timeout_error"})
  void mapsEveryErrorKind(ErrorKind kind, String type) throws Exception {
    Buffer body = codec.encodeError(new GatewayException(kind, "Something about " + kind));
    assertThat(Json.parse(body)).isEqualTo(Json.parse(
        "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"Something about " + kind + "\"}}"));
  }

  @Test
  void sharedValidationErrorsAreWordedAsAnthropicWordsThem() throws Exception {
    Buffer body = codec.encodeError(GatewayException.invalid("max_tokens", "'max_tokens' is required"));
    assertThat(Json.parse(body).at("/error/message").asText()).isEqualTo("max_tokens: Field required");
    body = codec.encodeError(GatewayException.invalid("messages[2].content", "'messages[2].content' must be an array"));
    assertThat(Json.parse(body).at("/error/message").asText()).isEqualTo("messages.2.content: Input should be a valid list");
    // Anything else keeps its words.
    body = codec.encodeError(GatewayException.invalid(null, "Request body is not valid JSON: Unexpected end-of-input"));
    assertThat(Json.parse(body).at("/error/message").asText()).isEqualTo("Request body is not valid JSON: Unexpected end-of-input");
  }

  @Test
  void anAnthropicUpstreamsOwnErrorBodyIsRelayedUnchanged() {
    String upstream = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    GatewayException e = new GatewayException(ErrorKind.RATE_LIMIT, "rate limited");
    e.upstreamBody = Buffer.buffer(upstream);
    e.upstreamProtocol = Protocol.ANTHROPIC;
    assertThat(codec.encodeError(e).toString()).isEqualTo(upstream);

    GatewayException fromOpenAi = new GatewayException(ErrorKind.RATE_LIMIT, "rate limited");
    fromOpenAi.upstreamBody = Buffer.buffer("{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}");
    fromOpenAi.upstreamProtocol = Protocol.OPENAI;
    assertThat(codec.encodeError(fromOpenAi).toString()).contains("\"rate_limit_error\"").contains("rate limited");
  }

  @Test
  void readsTheMessageOfAnUpstreamErrorAndNeverThrows() {
    assertThat(codec.errorMessage(529, Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")))
        .isEqualTo("Overloaded");
    assertThat(codec.errorMessage(502, Buffer.buffer("<html>Bad Gateway</html>"))).isEqualTo("Anthropic returned HTTP 502");
    assertThat(codec.errorMessage(500, Buffer.buffer(""))).isEqualTo("Anthropic returned HTTP 500");
    assertThat(codec.errorMessage(400, Buffer.buffer("[1]"))).isEqualTo("Anthropic returned HTTP 400");
  }
}
