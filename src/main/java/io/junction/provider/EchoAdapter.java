package io.junction.provider;

import io.junction.config.ProviderConfig;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Protocol;
import io.junction.protocol.Role;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in offline provider: answers with the last user message, word by word when streamed,
 * and reports usage counted in whitespace-separated words. Deterministic, so a first curl works
 * without any key and tests can predict every byte.
 */
public final class EchoAdapter implements ProviderAdapter, LocalProvider {

  @Override public String type() { return "echo"; }

  @Override public Protocol protocol() { return Protocol.ECHO; }

  @Override public UpstreamCodec codec() { return null; }

  @Override public String defaultBaseUrl() { return "local://echo"; }

  @Override
  public UpstreamCall chat(ProviderConfig p, String apiKey, String model, boolean stream, Buffer body) {
    throw new UnsupportedOperationException("echo answers in-process");
  }

  @Override
  public UpstreamCall listModels(ProviderConfig p, String apiKey) {
    throw new UnsupportedOperationException("echo answers in-process");
  }

  @Override public List<String> parseModels(Buffer body) { return List.of("echo"); }

  @Override
  public ChatResponse respond(ChatRequest request, String model) {
    ChatResponse r = new ChatResponse();
    r.id = "echo-" + Long.toHexString(System.nanoTime());
    r.model = model;
    String reply = reply(request);
    r.content.add(new Part.Text(reply));
    r.finishReason = FinishReason.STOP;
    r.usage = usage(request, reply);
    return r;
  }

  @Override
  public List<StreamEvent> stream(ChatRequest request, String model) {
    String reply = reply(request);
    List<StreamEvent> events = new ArrayList<>();
    events.add(new StreamEvent.Start("echo-" + Long.toHexString(System.nanoTime()), model, null));
    String[] words = reply.split(" ");
    for (int i = 0; i < words.length; i++) events.add(new StreamEvent.TextDelta(i == 0 ? words[i] : " " + words[i]));
    events.add(new StreamEvent.Finish(FinishReason.STOP, null));
    events.add(new StreamEvent.UsageReport(usage(request, reply)));
    events.add(new StreamEvent.End());
    return events;
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
