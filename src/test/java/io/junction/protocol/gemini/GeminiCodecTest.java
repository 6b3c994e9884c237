package io.junction.protocol.gemini;

import static io.junction.protocol.gemini.GeminiRequestDecoderTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Protocol;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Errors, model listing and countTokens in Google's shapes. */
class GeminiCodecTest {
  private final GeminiCodec codec = new GeminiCodec();

  @ParameterizedTest
  @CsvSource({"400,INVALID_ARGUMENT", "401,UNAUTHENTICATED", "403,PERMISSION_DENIED", "404,NOT_FOUND", "413,INVALID_ARGUMENT",
      "429,RESOURCE_EXHAUSTED", "500,INTERNAL", "502,UNAVAILABLE", "503,UNAVAILABLE", "504,DEADLINE_EXCEEDED"})
  void errorsCarryGoogleStatusNames(int status, String rpcStatus) {
    GatewayException e = new GatewayException(ErrorKind.forStatus(status), status, null, null, "went wrong");
    assertThat(json(codec.encodeError(e).toString()))
        .isEqualTo(json("{\"error\":{\"code\":" + status + ",\"message\":\"went wrong\",\"status\":\"" + rpcStatus + "\"}}"));
  }

  @Test
  void aBadFieldIsNamedLikeGoogleDoesInBadRequestDetails() {
    GatewayException e = GatewayException.invalid("contents[0].role", "'contents[0].role' must be 'user' or 'model'");
    assertThat(json(codec.encodeError(e).toString())).isEqualTo(json("""
        {"error":{"code":400,"message":"'contents[0].role' must be 'user' or 'model'","status":"INVALID_ARGUMENT",
          "details":[{"@type":"type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations":[{"field":"contents[0].role","description":"'contents[0].role' must be 'user' or 'model'"}]}]}}"""));
  }

  @Test
  void aGeminiUpstreamErrorIsRelayedVerbatimToGeminiClientsOnly() {
    Buffer upstream = Buffer.buffer("{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
    GatewayException e = new GatewayException(ErrorKind.RATE_LIMIT, "rate limited");
    e.upstreamBody = upstream;
    e.upstreamProtocol = Protocol.GEMINI;
    assertThat(codec.encodeError(e)).isEqualTo(upstream);
    e.upstreamProtocol = Protocol.OPENAI;
    assertThat(json(codec.encodeError(e).toString()).at("/error/message").asText()).isEqualTo("rate limited");
  }

  @Test
  void upstreamErrorMessagesAreReadWithoutThrowing() {
    assertThat(codec.errorMessage(400, Buffer.buffer("""
        {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
          "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}""")))
        .isEqualTo("API key not valid. Please pass a valid API key.");
    assertThat(codec.errorMessage(503, Buffer.buffer("[{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}]")))
        .isEqualTo("The model is overloaded.");
    assertThat(codec.errorMessage(502, Buffer.buffer("<html>Bad Gateway</html>"))).isEqualTo("Gemini returned HTTP 502");
    assertThat(codec.errorMessage(500, Buffer.buffer())).isEqualTo("Gemini returned HTTP 500");
    assertThat(codec.errorMessage(500, null)).isEqualTo("Gemini returned HTTP 500");
  }

  @Test
  void listsModelsInGoogleShape() {
    assertThat(json(codec.encodeModelList(List.of("gemini-2.5-flash", "gpt-4o")).toString())).isEqualTo(json("""
        {"models":[
          {"name":"models/gemini-2.5-flash","displayName":"gemini-2.5-flash","supportedGenerationMethods":["generateContent","streamGenerateContent","countTokens"]},
          {"name":"models/gpt-4o","displayName":"gpt-4o","supportedGenerationMethods":["generateContent","streamGenerateContent","countTokens"]}]}"""));
  }

  @Test
  void countTokensAnswer() {
    assertThat(codec.encodeCountTokens(31).toString()).isEqualTo("{\"totalTokens\":31}");
  }
}
