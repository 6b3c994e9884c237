package io.junction.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.Role;
import io.junction.protocol.ToolChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Anthropic client requests into the canonical model; samples follow Anthropic's documentation. */
class AnthropicRequestDecoderTest {
  private final AnthropicCodec codec = new AnthropicCodec();

  private ChatRequest decode(String json) throws Exception {
    return codec.decodeRequest(Json.parse(json), null);
  }

  private GatewayException rejection(String json) {
    return (GatewayException) org.assertj.core.api.Assertions.catchThrowable(() -> decode(json));
  }

  @Test
  void decodesTheDocumentedToolUseConversation() throws Exception {
    ChatRequest req = decode("""
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 1024,
          "tools": [{
            "name": "get_weather",
            "description": "Get the current weather in a given location",
            "input_schema": {
              "type": "object",
              "properties": {"location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"}},
              "required": ["location"]
            }
          }],
          "messages": [
            {"role": "user", "content": "What is the weather like in San Francisco?"},
            {"role": "assistant", "content": [
              {"type": "text", "text": "<thinking>I need to use get_weather, and the user wants SF, which is likely San Francisco, CA.</thinking>"},
              {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA", "unit": "celsius"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "15 degrees"}
            ]}
          ]
        }""");

    assertThat(req.model).isEqualTo("claude-sonnet-4-5");
    assertThat(req.maxTokens).isEqualTo(1024);
    assertThat(req.stream).isFalse();
    assertThat(req.tools).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("get_weather");
      assertThat(t.description()).startsWith("Get the current weather");
      assertThat(t.parameters().path("required").get(0).asText()).isEqualTo("location");
    });
    assertThat(req.messages).extracting(m -> m.role).containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
    assertThat(req.messages.get(0).text()).isEqualTo("What is the weather like in San Francisco?");
    Part.ToolCall call = (Part.ToolCall) req.messages.get(1).parts.get(1);
    assertThat(call.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(Json.parse(call.arguments())).isEqualTo(Json.parse("{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));
    Part.ToolResult result = (Part.ToolResult) req.messages.get(2).parts.get(0);
    assertThat(result.toolCallId()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(result.name()).as("name looked up from the tool_use").isEqualTo("get_weather");
    assertThat(result.text()).isEqualTo("15 degrees");
    assertThat(result.isError()).isFalse();
  }

  @Test
  void decodesCachedSystemBlocksImagesThinkingAndSampling() throws Exception {
    ChatRequest req = decode("""
        {
          "model": "claude-opus-4-1", "max_tokens": 16000, "stream": true,
          "system": [
            {"type": "text", "text": "You are an AI assistant tasked with analyzing literary works."},
            {"type": "text", "text": "<the entire contents of Pride and Prejudice>", "cache_control": {"type": "ephemeral"}}
          ],
          "thinking": {"type": "enabled", "budget_tokens": 10000},
          "stop_sequences": ["###"], "temperature": 0.5, "top_p": 0.9, "top_k": 40,
          "metadata": {"user_id": "user-123"},
          "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
          "tools": [{"name": "lookup", "input_schema": {"type": "object"}, "cache_control": {"type": "ephemeral"}}],
          "messages": [
            {"role": "user", "content": [
              {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQSkZJRg=="}},
              {"type": "image", "source": {"type": "url", "url": "https://upload.wikimedia.org/ant.jpg"}},
              {"type": "text", "text": "Describe these images.", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
            ]},
            {"role": "assistant", "content": [
              {"type": "thinking", "thinking": "Let me analyze this step by step...", "signature": "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL=="},
              {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"},
              {"type": "text", "text": "Two photos."}
            ]}
          ]
        }""");

    assertThat(req.stream).isTrue();
    assertThat(req.includeUsage).isTrue();
    assertThat(req.system).hasSize(2);
    assertThat(((Part.Text) req.system.get(0)).cacheControl()).isNull();
    assertThat(((Part.Text) req.system.get(1)).cacheControl().path("type").asText()).isEqualTo("ephemeral");
    assertThat(req.reasoning).isEqualTo(new Reasoning(null, 10000, true));
    assertThat(req.stop).containsExactly("###");
    assertThat(req.temperature).isEqualTo(0.5);
    assertThat(req.topP).isEqualTo(0.9);
    assertThat(req.topK).isEqualTo(40);
    assertThat(req.user).isEqualTo("user-123");
    assertThat(req.toolChoice).isEqualTo(ToolChoice.REQUIRED);
    assertThat(req.parallelToolCalls).isFalse();
    assertThat(req.tools.get(0).cacheControl()).isNotNull();

    var user = req.messages.get(0).parts;
    assertThat(user.get(0)).isEqualTo(Part.Image.ofBase64("image/jpeg", "/9j/4AAQSkZJRg=="));
    assertThat(user.get(1)).isEqualTo(Part.Image.ofUrl("https://upload.wikimedia.org/ant.jpg"));
    assertThat(((Part.Text) user.get(2)).cacheControl().path("ttl").asText()).isEqualTo("1h");
    var assistant = req.messages.get(1).parts;
    assertThat((Part.Thinking) assistant.get(0)).satisfies(t -> {
      assertThat(t.text()).isEqualTo("Let me analyze this step by step...");
      assertThat(t.signature()).startsWith("WaUjzkyp");
    });
    assertThat(((Part.Thinking) assistant.get(1)).redactedData()).isEqualTo("EmwKAhgBEgy3va3pzix/LafPsn4a");
  }

  @Test
  void toolResultWithBlocksAndErrorFlag() throws Exception {
    ChatRequest req = decode("""
        {"model": "m", "max_tokens": 10, "messages": [
          {"role": "user", "content": "hi"},
          {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "shot", "input": {}}]},
          {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "is_error": true, "content": [
            {"type": "text", "text": "camera offline"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
          ]}]}
        ]}""");
    Part.ToolResult result = (Part.ToolResult) req.messages.get(2).parts.get(0);
    assertThat(result.isError()).isTrue();
    assertThat(result.content()).hasSize(2);
    assertThat(result.text()).isEqualTo("camera offline");
  }

  @Test
  void toolChoiceVariantsAndSystemString() throws Exception {
    String base = "{\"model\":\"m\",\"max_tokens\":5,\"system\":\"Be terse.\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":";
    assertThat(decode(base + "{\"type\":\"auto\"}}").toolChoice).isEqualTo(ToolChoice.AUTO);
    assertThat(decode(base + "{\"type\":\"none\"}}").toolChoice).isEqualTo(ToolChoice.NONE);
    ChatRequest forced = decode(base + "{\"type\":\"tool\",\"name\":\"get_weather\"}}");
    assertThat(forced.toolChoice).isEqualTo(ToolChoice.tool("get_weather"));
    assertThat(forced.parallelToolCalls).isNull();
    assertThat(forced.systemText()).isEqualTo("Be terse.");
  }

  @Test
  void countTokensBodiesNeedNoMaxTokens() throws Exception {
    ChatRequest req = codec.decodeCountTokensRequest(Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}]}"));
    assertThat(req.maxTokens).isNull();
    assertThat(req.messages.get(0).text()).isEqualTo("Hello, world");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      missing max_tokens          | {"model":"m","messages":[{"role":"user","content":"x"}]}                                   | max_tokens
      max_tokens not a number     | {"model":"m","max_tokens":"10","messages":[{"role":"user","content":"x"}]}                 | max_tokens
      max_tokens fractional       | {"model":"m","max_tokens":10.5,"messages":[{"role":"user","content":"x"}]}                 | max_tokens
      max_tokens zero             | {"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}                    | max_tokens
      missing model               | {"max_tokens":5,"messages":[{"role":"user","content":"x"}]}                                | model
      missing messages            | {"model":"m","max_tokens":5}                                                               | messages
      messages not an array       | {"model":"m","max_tokens":5,"messages":{"role":"user"}}                                    | messages
      empty messages              | {"model":"m","max_tokens":5,"messages":[]}                                                 | messages
      unknown role                | {"model":"m","max_tokens":5,"messages":[{"role":"wizard","content":"x"}]}                  | messages[0].role
      content a number            | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":7}]}                      | messages[0].content
      unknown block type          | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"video"}]}]}     | messages[0].content[0].type
      text block without text     | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text"}]}]}      | messages[0].content[0].text
      image with file source      | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]} | messages[0].content[0].source.type
      tool_use in a user turn     | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"n","input":{}}]}]} | messages[0].content[0].type
      unmatched tool_result       | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x"}]}]} | messages[0].content[0].tool_use_id
      tool_use input not object   | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":"{}"}]}]} | messages[1].content[0].input
      temperature a string        | {"model":"m","max_tokens":5,"temperature":"hot","messages":[{"role":"user","content":"x"}]} | temperature
      stop_sequences of numbers   | {"model":"m","max_tokens":5,"stop_sequences":[1],"messages":[{"role":"user","content":"x"}]} | stop_sequences[0]
      system a number             | {"model":"m","max_tokens":5,"system":3,"messages":[{"role":"user","content":"x"}]}        | system
      system image block          | {"model":"m","max_tokens":5,"system":[{"type":"image"}],"messages":[{"role":"user","content":"x"}]} | system[0].type
      tool without input_schema   | {"model":"m","max_tokens":5,"tools":[{"name":"t"}],"messages":[{"role":"user","content":"x"}]} | tools[0].input_schema
      server tool                 | {"model":"m","max_tokens":5,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"x"}]} | tools[0].type
      bad tool_choice type        | {"model":"m","max_tokens":5,"tool_choice":{"type":"required"},"messages":[{"role":"user","content":"x"}]} | tool_choice.type
      tool_choice tool no name    | {"model":"m","max_tokens":5,"tool_choice":{"type":"tool"},"messages":[{"role":"user","content":"x"}]} | tool_choice.name
      thinking without budget     | {"model":"m","max_tokens":5,"thinking":{"type":"enabled"},"messages":[{"role":"user","content":"x"}]} | thinking.budget_tokens
      metadata user_id a number   | {"model":"m","max_tokens":5,"metadata":{"user_id":5},"messages":[{"role":"user","content":"x"}]} | metadata.user_id
      stream a string             | {"model":"m","max_tokens":5,"stream":"yes","messages":[{"role":"user","content":"x"}]}    | stream
      """)
  void rejectsWithA400NamingTheField(String name, String json, String param) {
    GatewayException e = rejection(json);
    assertThat(e).as(name).isNotNull();
    assertThat(e.status).isEqualTo(400);
    assertThat(e.param).isEqualTo(param);
    assertThat(e.getMessage()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no max_tokens          | {"model":"m","messages":[{"role":"user","content":"x"}]}                       | max_tokens: Field required
      no messages            | {"model":"m","max_tokens":5}                                                    | messages: Field required
      empty messages         | {"model":"m","max_tokens":5,"messages":[]}                                      | messages: at least one message is required
      unknown role           | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"bot","content":"y"}]} | messages.1.role: Input should be 'user' or 'assistant'
      max_tokens zero        | {"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}        | max_tokens: Input should be greater than or equal to 1
      temperature a string   | {"model":"m","max_tokens":5,"temperature":"hot","messages":[{"role":"user","content":"x"}]} | temperature: Input should be a valid number
      content a number       | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":5}]}          | messages.0.content: Input should be a valid list
      text block without text | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text"}]}]} | messages.0.content.0.text: Field required
      thinking without budget | {"model":"m","max_tokens":5,"thinking":{"type":"enabled"},"messages":[{"role":"user","content":"x"}]} | thinking.enabled.budget_tokens: Field required
      max_tokens a string    | {"model":"m","max_tokens":"5","messages":[{"role":"user","content":"x"}]}      | max_tokens: Input should be a valid integer
      stream a string        | {"model":"m","max_tokens":5,"stream":"yes","messages":[{"role":"user","content":"x"}]} | stream: Input should be a valid boolean
      user_id a number       | {"model":"m","max_tokens":5,"metadata":{"user_id":5},"messages":[{"role":"user","content":"x"}]} | metadata.user_id: Input should be a valid string
      metadata a list        | {"model":"m","max_tokens":5,"metadata":[],"messages":[{"role":"user","content":"x"}]} | metadata: Input should be a valid dictionary
      tools an object        | {"model":"m","max_tokens":5,"tools":{},"messages":[{"role":"user","content":"x"}]} | tools: Input should be a valid list
      no input_schema        | {"model":"m","max_tokens":5,"tools":[{"name":"t"}],"messages":[{"role":"user","content":"x"}]} | tools.0.input_schema: Field required
      image without source   | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image"}]}]} | messages.0.content.0.source: Field required
      system turn image      | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"image"}]}]} | messages.1.content.0.type: Input should be 'text'
      system turn a number   | {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":3}]} | messages.1.content: Input should be a valid list
      system block a number  | {"model":"m","max_tokens":5,"system":[3],"messages":[{"role":"user","content":"x"}]} | system.0: Input should be a valid dictionary
      """)
  void rejectsInAnthropicsOwnWording(String name, String json, String message) {
    assertThat(rejection(json).getMessage()).as(name).isEqualTo(message);
  }

  @Test
  void anUnmatchedToolResultIsWordedAsAnthropicWordsIt() {
    assertThat(rejection("""
        {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9"}]}]}""")
        .getMessage()).isEqualTo("messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_9. "
            + "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
  }

  @Test
  void systemMessagesInsideMessagesJoinTheSystemPromptInOrder() throws Exception {
    // Claude Code's mid-conversation-system beta puts role "system" turns among the messages.
    ChatRequest req = decode("""
        {"model":"gpt-4o","max_tokens":5,"system":"top",
         "messages":[{"role":"user","content":"hi"},{"role":"system","content":"agents: a, b"},
                     {"role":"assistant","content":"hello"},{"role":"system","content":[{"type":"text","text":"later"}]},
                     {"role":"user","content":"go"}]}""");
    assertThat(req.system).extracting(p -> ((Part.Text) p).text()).containsExactly("top", "agents: a, b", "later");
    assertThat(req.messages).extracting(m -> m.role).containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
  }

  @Test
  void rejectsABodyThatIsNotAnObject() {
    assertThatThrownBy(() -> decode("[1,2]")).isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).status).isEqualTo(400));
  }

  @Test
  void aToolResultMayOnlyReferToAnEarlierToolUse() {
    GatewayException e = rejection("""
        {"model":"m","max_tokens":5,"messages":[
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"early"}]},
          {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"n","input":{}}]}
        ]}""");
    assertThat(e.param).isEqualTo("messages[0].content[0].tool_use_id");
    assertThat(e.getMessage()).contains("toolu_1");
  }
}
