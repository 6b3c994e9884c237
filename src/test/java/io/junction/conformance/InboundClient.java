package io.junction.conformance;

import static io.junction.conformance.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.UrlImageSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.AutomaticFunctionCallingConfig;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputContent;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputText;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import io.junction.conformance.Fixtures.Answer;
import io.junction.conformance.Fixtures.Call;
import io.junction.conformance.Fixtures.Scenario;
import io.junction.protocol.Json;
import io.junction.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One inbound protocol of the matrix, driven through its official SDK. */
abstract class InboundClient {
  final String name;
  final String gatewayUrl;

  InboundClient(String name, String gatewayUrl) {
    this.name = name;
    this.gatewayUrl = gatewayUrl;
  }

  /**
   * Runs one scenario against {@code model}: one answer, or for {@link Scenario#TOOL_ROUND_TRIP}
   * two (the tool call, then the final text after the client sent the tool result back).
   */
  abstract List<Answer> run(String model, Scenario scenario, boolean stream);

  /** Sends the plain question with an image given by URL (not inline). */
  abstract Answer askWithImageUrl(String model);

  /** Whether the protocol can ask for several choices (OpenAI {@code n}, Gemini {@code candidateCount}; Anthropic cannot). */
  boolean hasChoiceCount() { return true; }

  /** Asks the plain question for two choices. */
  abstract Answer askForTwoChoices(String model);

  /** Whether the protocol's tool calls must carry an id (OpenAI, Anthropic); Gemini's may come without. */
  boolean requiresCallIds() { return true; }

  /** The HTTP status of an error the SDK threw (its own exception type), or fails the test. */
  abstract int statusOf(Throwable error);

  /** The protocol's finish reason for a plain answer and for a tool-calling one. */
  abstract String finishWord(boolean toolCall);

  /** The raw HTTP calls of a streamed plain question (one per stream framing the protocol has), for checking stream shapes byte by byte. */
  abstract List<RawCall> rawStreams(String model);

  /** Checks that a raw stream body ends in the protocol's own in-stream error, with no clean end after it. */
  abstract void assertEndsInError(RawCall call, String body);

  /** The JSON after the last {@code data: } of an SSE body. */
  static JsonNode lastSseData(String body) {
    String stripped = body.strip();
    return json(stripped.substring(stripped.lastIndexOf("data: ") + "data: ".length()));
  }

  record RawCall(String path, Map<String, String> headers, String body) {}

  @Override
  public String toString() { return name; }

  // ---- OpenAI Chat Completions (openai-java)

  static final class OpenAi extends InboundClient {
    private final OpenAIClient client;

    OpenAi(String gatewayUrl) {
      super("openai", gatewayUrl);
      client = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gatewayUrl + "/v1").maxRetries(0).build();
    }

    @Override String finishWord(boolean toolCall) { return toolCall ? "tool_calls" : "stop"; }

    @Override
    int statusOf(Throwable error) {
      if (error instanceof com.openai.errors.OpenAIServiceException e) return e.statusCode();
      throw new AssertionError("not an OpenAI API error", error);
    }

    @Override
    List<Answer> run(String model, Scenario scenario, boolean stream) {
      ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model);
      if (scenario == Scenario.SYSTEM_PROMPT) params.addSystemMessage(Fixtures.SYSTEM_PROMPT);
      if (scenario == Scenario.IMAGE) params.addMessage(imageMessage("data:image/png;base64," + Fixtures.PNG_BASE64));
      else params.addUserMessage(Fixtures.QUESTION);
      if (scenario != Scenario.TOOL_ROUND_TRIP) return List.of(answer(call(params.build(), stream)));

      params.addTool(weatherTool());
      ChatCompletion first = call(params.build(), stream);
      String callId = first.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction().id();
      params.addMessage(first.choices().get(0).message())
          .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content(Fixtures.TOOL_RESULT).build());
      return List.of(answer(first), answer(call(params.build(), stream)));
    }

    @Override
    Answer askWithImageUrl(String model) {
      return answer(call(ChatCompletionCreateParams.builder().model(model).addMessage(imageMessage(Fixtures.IMAGE_URL)).build(), false));
    }

    @Override
    Answer askForTwoChoices(String model) {
      return answer(call(ChatCompletionCreateParams.builder().model(model).addUserMessage(Fixtures.QUESTION).n(2).build(), false));
    }

    private static ChatCompletionUserMessageParam imageMessage(String url) {
      return ChatCompletionUserMessageParam.builder().contentOfArrayOfContentParts(List.of(
          ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text(Fixtures.IMAGE_QUESTION).build()),
          ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
              .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(url).build()).build()))).build();
    }

    private static ChatCompletionFunctionTool weatherTool() {
      FunctionParameters.Builder schema = FunctionParameters.builder();
      Json.MAPPER.convertValue(Fixtures.toolSchema(), Map.class)
          .forEach((k, v) -> schema.putAdditionalProperty((String) k, JsonValue.from(v)));
      return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
          .name(Fixtures.TOOL_NAME).description(Fixtures.TOOL_DESCRIPTION).parameters(schema.build()).build()).build();
    }

    private ChatCompletion call(ChatCompletionCreateParams params, boolean stream) {
      if (!stream) return client.chat().completions().create(params);
      ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
      try (var s = client.chat().completions().createStreaming(params.toBuilder()
          .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
        s.stream().forEach(acc::accumulate);
      }
      return acc.chatCompletion();
    }

    private static Answer answer(ChatCompletion c) {
      var choice = c.choices().get(0);
      List<Call> calls = new ArrayList<>();
      choice.message().toolCalls().ifPresent(list -> list.forEach(tc -> calls.add(new Call(tc.asFunction().id(),
          tc.asFunction().function().name(), json(tc.asFunction().function().arguments())))));
      var usage = c.usage().orElseThrow(() -> new AssertionError("no usage in " + c));
      return new Answer(choice.message().content().orElse(""), calls, choice.finishReason().asString(),
          usage.promptTokens(), usage.completionTokens());
    }

    @Override
    List<RawCall> rawStreams(String model) {
      String body = Json.text(Json.object().put("model", model).put("stream", true)
          .set("messages", Json.array().add(Json.object().put("role", "user").put("content", Fixtures.QUESTION))));
      return List.of(new RawCall("/v1/chat/completions", Map.of("authorization", "Bearer " + TestGateway.MASTER_KEY), body));
    }

    /** An error object as the last data payload, and no [DONE]. */
    @Override
    void assertEndsInError(RawCall call, String body) {
      assertThat(body).doesNotContain("[DONE]");
      assertThat(lastSseData(body).path("error").path("message").asText()).isNotBlank();
    }
  }

  // ---- Anthropic Messages (anthropic-java)

  static final class Anthropic extends InboundClient {
    private final AnthropicClient client;

    Anthropic(String gatewayUrl) {
      super("anthropic", gatewayUrl);
      client = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gatewayUrl).maxRetries(0).build();
    }

    @Override String finishWord(boolean toolCall) { return toolCall ? "tool_use" : "end_turn"; }

    @Override boolean hasChoiceCount() { return false; }

    @Override
    Answer askForTwoChoices(String model) { throw new UnsupportedOperationException("Anthropic Messages has no choice count"); }

    @Override
    int statusOf(Throwable error) {
      if (error instanceof com.anthropic.errors.AnthropicServiceException e) return e.statusCode();
      throw new AssertionError("not an Anthropic API error", error);
    }

    @Override
    List<Answer> run(String model, Scenario scenario, boolean stream) {
      MessageCreateParams.Builder params = MessageCreateParams.builder().model(model).maxTokens(1024);
      if (scenario == Scenario.SYSTEM_PROMPT) params.system(Fixtures.SYSTEM_PROMPT);
      if (scenario == Scenario.IMAGE) {
        params.addUserMessageOfContentBlockParams(List.of(text(Fixtures.IMAGE_QUESTION), ContentBlockParam.ofImage(ImageBlockParam.builder()
            .source(Base64ImageSource.builder().mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(Fixtures.PNG_BASE64).build()).build())));
      } else {
        params.addUserMessage(Fixtures.QUESTION);
      }
      if (scenario != Scenario.TOOL_ROUND_TRIP) return List.of(answer(call(params.build(), stream)));

      params.addTool(com.anthropic.models.messages.Tool.builder().name(Fixtures.TOOL_NAME).description(Fixtures.TOOL_DESCRIPTION)
          .inputSchema(com.anthropic.models.messages.Tool.InputSchema.builder()
              .properties(com.anthropic.core.JsonValue.from(Json.MAPPER.convertValue(Fixtures.toolSchema().get("properties"), Map.class)))
              .addRequired("city").build())
          .build());
      Message first = call(params.build(), stream);
      String callId = first.content().stream().filter(b -> b.isToolUse()).findFirst().orElseThrow().asToolUse().id();
      params.addMessage(first).addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
          ToolResultBlockParam.builder().toolUseId(callId).content(Fixtures.TOOL_RESULT).build())));
      return List.of(answer(first), answer(call(params.build(), stream)));
    }

    @Override
    Answer askWithImageUrl(String model) {
      return answer(call(MessageCreateParams.builder().model(model).maxTokens(1024).addUserMessageOfContentBlockParams(List.of(
          text(Fixtures.IMAGE_QUESTION), ContentBlockParam.ofImage(ImageBlockParam.builder()
              .source(UrlImageSource.builder().url(Fixtures.IMAGE_URL).build()).build()))).build(), false));
    }

    private static ContentBlockParam text(String text) { return ContentBlockParam.ofText(TextBlockParam.builder().text(text).build()); }

    private Message call(MessageCreateParams params, boolean stream) {
      if (!stream) return client.messages().create(params);
      MessageAccumulator acc = MessageAccumulator.create();
      try (var s = client.messages().createStreaming(params)) {
        s.stream().forEach((RawMessageStreamEvent e) -> acc.accumulate(e));
      }
      return acc.message();
    }

    /** Input counted OpenAI's way: Anthropic's input_tokens excludes cache reads and writes. */
    private static Answer answer(Message m) {
      StringBuilder text = new StringBuilder();
      List<Call> calls = new ArrayList<>();
      m.content().forEach(b -> {
        b.text().ifPresent(t -> text.append(t.text()));
        b.toolUse().ifPresent(u -> calls.add(new Call(u.id(), u.name(), Json.MAPPER.valueToTree(u._input().convert(Map.class)))));
      });
      var u = m.usage();
      long input = u.inputTokens() + u.cacheReadInputTokens().orElse(0L) + u.cacheCreationInputTokens().orElse(0L);
      return new Answer(text.toString(), calls, m.stopReason().orElseThrow().asString(), input, u.outputTokens());
    }

    @Override
    List<RawCall> rawStreams(String model) {
      String body = Json.text(Json.object().put("model", model).put("max_tokens", 256).put("stream", true)
          .set("messages", Json.array().add(Json.object().put("role", "user").put("content", Fixtures.QUESTION))));
      return List.of(new RawCall("/v1/messages", Map.of("x-api-key", TestGateway.MASTER_KEY, "anthropic-version", "2023-06-01"), body));
    }

    /** {@code event: error} as the last event, and no message_stop. */
    @Override
    void assertEndsInError(RawCall call, String body) {
      assertThat(body).doesNotContain("event: message_stop");
      assertThat(body.strip()).containsPattern("event: error\ndata: \\{\"type\":\"error\",\"error\":\\{\"type\":\"[a-z_]+\",\"message\":\"[^\"]+\"\\}\\}$");
    }
  }

  // ---- Gemini generateContent (google-genai)

  static final class Gemini extends InboundClient {
    private final Client client;

    Gemini(String gatewayUrl) {
      super("gemini", gatewayUrl);
      client = Client.builder().apiKey(TestGateway.MASTER_KEY)
          .httpOptions(HttpOptions.builder().baseUrl(gatewayUrl).apiVersion("v1beta").build()).build();
    }

    @Override boolean requiresCallIds() { return false; }

    /** Gemini has no tool-calls finish reason: a turn of function calls ends with STOP too. */
    @Override String finishWord(boolean toolCall) { return "STOP"; }

    @Override
    int statusOf(Throwable error) {
      if (error instanceof ApiException e) return e.code();
      throw new AssertionError("not a Gemini API error", error);
    }

    @Override
    List<Answer> run(String model, Scenario scenario, boolean stream) {
      var config = GenerateContentConfig.builder();
      if (scenario == Scenario.SYSTEM_PROMPT) config.systemInstruction(Content.fromParts(Part.fromText(Fixtures.SYSTEM_PROMPT)));
      List<Content> contents = new ArrayList<>();
      contents.add(scenario == Scenario.IMAGE
          ? userTurn(Part.fromText(Fixtures.IMAGE_QUESTION),
              Part.fromBytes(java.util.Base64.getDecoder().decode(Fixtures.PNG_BASE64), "image/png"))
          : userTurn(Part.fromText(Fixtures.QUESTION)));
      if (scenario != Scenario.TOOL_ROUND_TRIP) return List.of(call(model, contents, config.build(), stream).answer());

      config.tools(com.google.genai.types.Tool.builder().functionDeclarations(FunctionDeclaration.builder()
          .name(Fixtures.TOOL_NAME).description(Fixtures.TOOL_DESCRIPTION)
          .parametersJsonSchema(Json.MAPPER.convertValue(Fixtures.toolSchema(), Map.class)).build()).build())
          .automaticFunctionCalling(AutomaticFunctionCallingConfig.builder().disable(true).build());
      Turn first = call(model, contents, config.build(), stream);
      Answer firstAnswer = first.answer();
      Call toolCall = firstAnswer.calls().get(0);
      contents.add(first.modelTurn());
      var response = FunctionResponse.builder().name(toolCall.name()).response(Map.of("output", Fixtures.TOOL_RESULT));
      if (toolCall.id() != null) response.id(toolCall.id());
      contents.add(userTurn(Part.builder().functionResponse(response.build()).build()));
      return List.of(firstAnswer, call(model, contents, config.build(), stream).answer());
    }

    @Override
    Answer askWithImageUrl(String model) {
      return call(model, List.of(userTurn(Part.fromText(Fixtures.IMAGE_QUESTION),
          Part.fromUri(Fixtures.IMAGE_URL, "image/png"))), null, false).answer();
    }

    @Override
    Answer askForTwoChoices(String model) {
      return call(model, List.of(userTurn(Part.fromText(Fixtures.QUESTION))),
          GenerateContentConfig.builder().candidateCount(2).build(), false).answer();
    }

    private static Content userTurn(Part... parts) {
      return Content.builder().role("user").parts(List.of(parts)).build();
    }

    /** One answer, streamed chunks folded together: the model turn (for the history) and its finish reason and usage. */
    private record Turn(List<Part> parts, String finishReason, GenerateContentResponseUsageMetadata usage) {
      Content modelTurn() { return Content.builder().role("model").parts(parts).build(); }

      Answer answer() {
        StringBuilder text = new StringBuilder();
        List<Call> calls = new ArrayList<>();
        for (var p : parts) {
          if (p.thought().orElse(false)) continue;
          p.text().ifPresent(text::append);
          p.functionCall().ifPresent(fc -> calls.add(new Call(fc.id().orElse(null), fc.name().orElseThrow(),
              Json.MAPPER.valueToTree(fc.args().orElse(Map.of())))));
        }
        if (usage == null) throw new AssertionError("no usageMetadata in the answer");
        long output = usage.candidatesTokenCount().orElse(0) + usage.thoughtsTokenCount().orElse(0);
        return new Answer(text.toString(), calls, finishReason, usage.promptTokenCount().orElse(0), output);
      }
    }

    private Turn call(String model, List<Content> contents, GenerateContentConfig config, boolean stream) {
      List<Part> parts = new ArrayList<>();
      String finish = null;
      GenerateContentResponseUsageMetadata usage = null;
      List<GenerateContentResponse> responses = new ArrayList<>();
      if (stream) {
        try (var s = client.models.generateContentStream(model, contents, config)) {
          s.forEach(responses::add);
        }
      } else {
        responses.add(client.models.generateContent(model, contents, config));
      }
      for (var r : responses) {
        var candidate = r.candidates().orElse(List.of()).stream().findFirst();
        candidate.flatMap(c -> c.content()).flatMap(c -> c.parts()).ifPresent(parts::addAll);
        var reason = candidate.flatMap(c -> c.finishReason());
        if (reason.isPresent()) finish = reason.get().toString();
        if (r.usageMetadata().isPresent()) usage = r.usageMetadata().get();
      }
      return new Turn(parts, finish, usage);
    }

    /** Both framings: SSE ({@code ?alt=sse}, what the SDKs use) and the streamed JSON array. */
    @Override
    List<RawCall> rawStreams(String model) {
      var body = Json.object();
      body.putArray("contents").addObject().put("role", "user").putArray("parts").addObject().put("text", Fixtures.QUESTION);
      String path = "/v1beta/models/" + model + ":streamGenerateContent";
      Map<String, String> key = Map.of("x-goog-api-key", TestGateway.MASTER_KEY);
      return List.of(new RawCall(path + "?alt=sse", key, Json.text(body)), new RawCall(path, key, Json.text(body)));
    }

    /** A Google error object as the last element (SSE event or array element); an array is left unclosed. */
    @Override
    void assertEndsInError(RawCall call, String body) {
      JsonNode last;
      if (call.path().endsWith("alt=sse")) {
        last = lastSseData(body);
      } else {
        String stripped = body.strip();
        assertThat(stripped).startsWith("[").doesNotEndWith("]");
        last = json(stripped.substring(Math.max(stripped.lastIndexOf(",\r\n{") + 3, 1)));
      }
      var error = last.path("error");
      assertThat(error.path("code").asInt()).isEqualTo(502);
      assertThat(error.path("status").asText()).isNotBlank();
      assertThat(error.path("message").asText()).isNotBlank();
    }
  }

  // ---- OpenAI Responses API (openai-java)

  static final class Responses extends InboundClient {
    private final OpenAIClient client;

    Responses(String gatewayUrl) {
      super("responses", gatewayUrl);
      client = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gatewayUrl + "/v1").maxRetries(0).build();
    }

    /** A Response has a status, not a finish reason: a turn of function calls is "completed" too. */
    @Override String finishWord(boolean toolCall) { return "completed"; }

    @Override boolean hasChoiceCount() { return false; }

    @Override
    Answer askForTwoChoices(String model) { throw new UnsupportedOperationException("the Responses API has no choice count"); }

    @Override
    int statusOf(Throwable error) {
      if (error instanceof com.openai.errors.OpenAIServiceException e) return e.statusCode();
      throw new AssertionError("not an OpenAI API error", error);
    }

    @Override
    List<Answer> run(String model, Scenario scenario, boolean stream) {
      List<ResponseInputItem> input = new ArrayList<>();
      input.add(scenario == Scenario.IMAGE ? imageMessage("data:image/png;base64," + Fixtures.PNG_BASE64)
          : ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content(Fixtures.QUESTION).build()));
      ResponseCreateParams.Builder params = ResponseCreateParams.builder().model(model);
      if (scenario == Scenario.SYSTEM_PROMPT) params.instructions(Fixtures.SYSTEM_PROMPT);
      if (scenario != Scenario.TOOL_ROUND_TRIP) return List.of(answer(call(params.inputOfResponse(input).build(), stream)));

      FunctionTool.Parameters.Builder schema = FunctionTool.Parameters.builder();
      Json.MAPPER.convertValue(Fixtures.toolSchema(), Map.class)
          .forEach((k, v) -> schema.putAdditionalProperty((String) k, JsonValue.from(v)));
      params.addTool(FunctionTool.builder().name(Fixtures.TOOL_NAME).description(Fixtures.TOOL_DESCRIPTION)
          .parameters(schema.build()).strict(false).build());
      Response first = call(params.inputOfResponse(input).build(), stream);
      ResponseFunctionToolCall fc = first.output().stream().filter(ResponseOutputItem::isFunctionCall).findFirst()
          .orElseThrow(() -> new AssertionError("no function_call in " + first)).asFunctionCall();
      input.add(ResponseInputItem.ofFunctionCall(fc));
      input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
          .callId(fc.callId()).output(Fixtures.TOOL_RESULT).build()));
      return List.of(answer(first), answer(call(params.inputOfResponse(input).build(), stream)));
    }

    @Override
    Answer askWithImageUrl(String model) {
      return answer(call(ResponseCreateParams.builder().model(model).inputOfResponse(List.of(imageMessage(Fixtures.IMAGE_URL))).build(), false));
    }

    private static ResponseInputItem imageMessage(String url) {
      return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
          .contentOfResponseInputMessageContentList(List.of(
              ResponseInputContent.ofInputText(ResponseInputText.builder().text(Fixtures.IMAGE_QUESTION).build()),
              ResponseInputContent.ofInputImage(ResponseInputImage.builder().imageUrl(url).detail(ResponseInputImage.Detail.AUTO).build())))
          .build());
    }

    /**
     * A streamed call goes through the SDK's accumulator, and its events (as the SDK parsed them)
     * through the event-sequence check; the answer is the final Response of the completed event.
     */
    private Response call(ResponseCreateParams params, boolean stream) {
      if (!stream) return client.responses().create(params);
      ResponseAccumulator acc = ResponseAccumulator.create();
      StringBuilder sse = new StringBuilder();
      try (var s = client.responses().createStreaming(params)) {
        s.stream().forEach(e -> {
          acc.accumulate(e);
          JsonNode event = Json.MAPPER.valueToTree(com.openai.core.ObjectMappers.jsonMapper().convertValue(e, Map.class));
          sse.append("event: ").append(event.path("type").asText()).append("\ndata: ").append(Json.text(event)).append("\n\n");
        });
      }
      io.junction.protocol.responses.ResponsesEvents.checkComplete(sse.toString());
      return acc.response();
    }

    private static Answer answer(Response r) {
      StringBuilder text = new StringBuilder();
      List<Call> calls = new ArrayList<>();
      for (ResponseOutputItem item : r.output()) {
        if (item.isMessage()) item.asMessage().content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text())));
        if (item.isFunctionCall()) {
          ResponseFunctionToolCall fc = item.asFunctionCall();
          calls.add(new Call(fc.callId(), fc.name(), json(fc.arguments())));
        }
      }
      var usage = r.usage().orElseThrow(() -> new AssertionError("no usage in " + r));
      return new Answer(text.toString(), calls, r.status().orElseThrow().asString(), usage.inputTokens(), usage.outputTokens());
    }

    @Override
    List<RawCall> rawStreams(String model) {
      String body = Json.text(Json.object().put("model", model).put("stream", true).put("input", Fixtures.QUESTION));
      return List.of(new RawCall("/v1/responses", Map.of("authorization", "Bearer " + TestGateway.MASTER_KEY), body));
    }

    /** {@code response.failed} last, sequence numbers still increasing, and no {@code response.completed}. */
    @Override
    void assertEndsInError(RawCall call, String body) {
      JsonNode failed = io.junction.protocol.responses.ResponsesEvents.checkFailed(body);
      assertThat(failed.path("error").path("message").asText()).isNotBlank();
    }
  }
}
