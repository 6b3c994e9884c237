package io.junction.conformance;

import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.Codecs;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Protocol;
import io.junction.protocol.Role;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.Tool;
import io.junction.protocol.Usage;
import io.junction.protocol.anthropic.AnthropicCodec;
import io.junction.protocol.gemini.GeminiCodec;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.testing.MockBedrockServer;
import io.junction.testing.MockCohereServer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the fuzz targets' seed inputs (src/test/resources/io/junction/fuzz/*Inputs/) from the
 * conformance matrix's scenarios: each scenario's request in every inbound protocol, and its
 * answers (text, tool call) in every upstream stream format. Run it again when the scenarios
 * change: {@code ./mvnw -q test-compile exec:java} is not wired, so from an IDE or with
 * {@code java -cp target/test-classes:target/classes:<deps> io.junction.conformance.FuzzSeeds}.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/io/junction/fuzz");
    int n = 0;
    for (Fixtures.Scenario s : Fixtures.Scenario.values()) {
      ChatRequest r = request(s);
      write(root.resolve("RequestDecoderFuzzTestInputs/openai"), s, OpenAiCodec.INSTANCE.encodeRequest(r, "gpt-4o"));
      write(root.resolve("RequestDecoderFuzzTestInputs/anthropic"), s, AnthropicCodec.INSTANCE.encodeRequest(r, "claude-sonnet-4-5"));
      write(root.resolve("RequestDecoderFuzzTestInputs/gemini"), s, GeminiCodec.INSTANCE.encodeRequest(r, "gemini-2.5-flash"));
      n += 3;
    }
    for (ChatResponse answer : List.of(textAnswer(), toolAnswer())) {
      String name = answer.finishReason == FinishReason.TOOL_CALLS ? "tool_call" : "text";
      write(root.resolve("StreamDecoderFuzzTestInputs/openai"), name, stream(Protocol.OPENAI, answer));
      write(root.resolve("StreamDecoderFuzzTestInputs/anthropic"), name, stream(Protocol.ANTHROPIC, answer));
      write(root.resolve("StreamDecoderFuzzTestInputs/gemini"), name, stream(Protocol.GEMINI, answer));
      write(root.resolve("StreamDecoderFuzzTestInputs/cohere"), name, Buffer.buffer(MockCohereServer.sse(answer)));
      Buffer frames = Buffer.buffer();
      MockBedrockServer.frames(answer).forEach(frames::appendBuffer);
      write(root.resolve("StreamDecoderFuzzTestInputs/bedrock"), name, frames);
      n += 5;
    }
    write(root.resolve("ConfigFuzzTestInputs/yaml"), "example", Buffer.buffer(Files.readString(Path.of("examples/junction.yaml"))));
    n++;
    System.out.println(n + " seeds under " + root);
  }

  static ChatRequest request(Fixtures.Scenario s) {
    ChatRequest r = new ChatRequest();
    r.maxTokens = 256;
    if (s == Fixtures.Scenario.SYSTEM_PROMPT) r.system.add(new Part.Text(Fixtures.SYSTEM_PROMPT));
    if (s == Fixtures.Scenario.IMAGE) {
      r.messages.add(Message.of(Role.USER, new Part.Text(Fixtures.IMAGE_QUESTION), Part.Image.ofBase64("image/png", Fixtures.PNG_BASE64)));
      return r;
    }
    r.messages.add(Message.of(Role.USER, new Part.Text(Fixtures.QUESTION)));
    if (s == Fixtures.Scenario.TOOL_ROUND_TRIP) {
      r.tools.add(new Tool(Fixtures.TOOL_NAME, Fixtures.TOOL_DESCRIPTION, Fixtures.toolSchema()));
      r.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("call_1", Fixtures.TOOL_NAME, Fixtures.TOOL_ARGUMENTS)));
      r.messages.add(Message.of(Role.TOOL, new Part.ToolResult("call_1", Fixtures.TOOL_NAME, List.of(new Part.Text(Fixtures.TOOL_RESULT)), false)));
    }
    return r;
  }

  static ChatResponse textAnswer() {
    return Upstream.answer(new Usage(12, 5), new Part.Text(Fixtures.ANSWER));
  }

  static ChatResponse toolAnswer() {
    return Upstream.answer(new Usage(12, 5), new Part.ToolCall("call_1", Fixtures.TOOL_NAME, Fixtures.TOOL_ARGUMENTS));
  }

  /** The answer as the protocol's own server streams it (what an upstream of that protocol sends). */
  static Buffer stream(Protocol p, ChatResponse answer) {
    ChatRequest req = request(Fixtures.Scenario.PLAIN);
    req.stream = true;
    req.includeUsage = true;
    StreamEncoder enc = Codecs.inbound(p).streamEncoder(req);
    Buffer out = Buffer.buffer();
    enc.encode(new StreamEvent.Start("resp_1", "model-1", null), out);
    int i = 0;
    for (Part part : answer.content) {
      if (part instanceof Part.Text t) enc.encode(new StreamEvent.TextDelta(t.text()), out);
      if (part instanceof Part.ToolCall c) {
        enc.encode(new StreamEvent.ToolCallStart(i, c.id(), c.name()), out);
        enc.encode(new StreamEvent.ToolCallDelta(i++, c.arguments()), out);
      }
    }
    enc.encode(new StreamEvent.Finish(answer.finishReason, null), out);
    enc.encode(new StreamEvent.UsageReport(answer.usage), out);
    enc.encode(new StreamEvent.End(), out);
    return out;
  }

  private static void write(Path dir, Object name, Buffer bytes) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name.toString().toLowerCase(java.util.Locale.ROOT)), bytes.getBytes());
  }
}
