package io.junction.provider;

import io.junction.config.ProviderConfig;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Protocol;
import io.junction.protocol.Role;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.junction.protocol.openai.OpenAiCodec;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in offline provider: an in-process upstream speaking OpenAI's chat completions. It
 * answers with the last user message, word by word when streamed, and reports usage counted in
 * whitespace-separated words. Deterministic, so a first curl works without any key and tests can
 * predict every byte; clients of other protocols get it translated like any OpenAI answer.
 */
public final class EchoAdapter implements ProviderAdapter, LocalUpstream {
  private static final String BASE = "local://echo/v1";

  @Override public String type() { return "echo"; }

  @Override public Protocol protocol() { return Protocol.OPENAI; }

  @Override public UpstreamCodec codec() { return OpenAiCodec.INSTANCE; }

  @Override public String defaultBaseUrl() { return BASE; }

  @Override public String baseUrl(ProviderConfig provider) { return BASE; }

  @Override
  public UpstreamCall chat(ProviderConfig p, String apiKey, String model, boolean stream, Buffer body) {
    return UpstreamCall.post(BASE + "/chat/completions", body);
  }

  @Override
  public UpstreamCall listModels(ProviderConfig p, String apiKey) { return UpstreamCall.get(BASE + "/models"); }

  @Override public List<String> parseModels(Buffer body) { return List.of("echo"); }

  @Override
  public Answer answer(UpstreamCall call) {
    if (call.url().endsWith("/models")) {
      return new Answer(200, "application/json", List.of(Buffer.buffer("{\"object\":\"list\",\"data\":[{\"id\":\"echo\",\"object\":\"model\",\"created\":0,\"owned_by\":\"junction\"}]}")));
    }
    ChatRequest request;
    try {
      request = OpenAiCodec.INSTANCE.decodeRequest(Json.parse(call.body()), null);
    } catch (IOException | GatewayException e) {
      String message = e.getMessage() == null ? "invalid request" : e.getMessage();
      return new Answer(400, "application/json", List.of(Json.buffer(Json.object().set("error",
          Json.object().put("message", message).put("type", "invalid_request_error")))));
    }
    String reply = reply(request);
    Usage usage = usage(request, reply);
    String id = "echo-" + Long.toHexString(System.nanoTime());
    if (!request.stream) {
      ChatResponse r = new ChatResponse();
      r.id = id;
      r.model = request.model;
      r.content.add(new Part.Text(reply));
      r.finishReason = FinishReason.STOP;
      r.usage = usage;
      return new Answer(200, "application/json", List.of(OpenAiCodec.INSTANCE.encodeResponse(r, request)));
    }
    StreamEncoder encoder = OpenAiCodec.INSTANCE.streamEncoder(request);
    List<Buffer> chunks = new ArrayList<>();
    List<StreamEvent> events = new ArrayList<>();
    events.add(new StreamEvent.Start(id, request.model, null));
    String[] words = reply.split(" ");
    for (int i = 0; i < words.length; i++) events.add(new StreamEvent.TextDelta(i == 0 ? words[i] : " " + words[i]));
    events.add(new StreamEvent.Finish(FinishReason.STOP, null));
    events.add(new StreamEvent.UsageReport(usage));
    events.add(new StreamEvent.End());
    for (StreamEvent e : events) {
      Buffer out = Buffer.buffer();
      encoder.encode(e, out);
      if (out.length() > 0) chunks.add(out);
    }
    return new Answer(200, "text/event-stream", chunks);
  }

  static String reply(ChatRequest request) {
    for (int i = request.messages.size() - 1; i >= 0; i--) {
      Message m = request.messages.get(i);
      if (m.role == Role.USER) {
        String text = m.text();
        if (!text.isBlank()) return text;
      }
    }
    return "(no user message)";
  }

  private static Usage usage(ChatRequest request, String reply) {
    long in = words(request.systemText());
    for (Message m : request.messages) in += words(m.text());
    return new Usage(in, words(reply));
  }

  private static long words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
