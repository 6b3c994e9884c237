package io.junction.protocol.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.JsonScan;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Protocol;
import io.junction.protocol.ResponseFormat;
import io.junction.protocol.Role;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamTap;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cohere Chat API v2 ({@code POST /v2/chat}). An assistant's text next to tool calls travels as
 * Cohere's {@code tool_plan}, and a {@code tool_plan} comes back as text, so tool round trips keep it.
 */
public final class CohereCodec implements UpstreamCodec {

  @Override
  public Protocol protocol() { return Protocol.COHERE; }

  @Override
  public Buffer encodeRequest(ChatRequest req, String upstreamModel) {
    if (req.n != null && req.n > 1) throw GatewayException.invalid("n", "Cohere returns a single choice; 'n' must be 1");
    ObjectNode body = Json.object().put("model", upstreamModel);
    ArrayNode messages = body.putArray("messages");
    if (!req.system.isEmpty()) messages.addObject().put("role", "system").put("content", req.systemText());
    for (Message m : req.messages) {
      if (m.role == Role.ASSISTANT) encodeAssistant(messages, m);
      else encodeUserSide(messages, m);
    }
    encodeTools(req, body);
    if (req.maxTokens != null) body.put("max_tokens", req.maxTokens);
    if (req.temperature != null) body.put("temperature", req.temperature);
    if (req.topP != null) body.put("p", req.topP);
    if (req.topK != null) body.put("k", req.topK);
    if (!req.stop.isEmpty()) req.stop.forEach(body.putArray("stop_sequences")::add);
    if (req.seed != null) body.put("seed", req.seed);
    if (req.frequencyPenalty != null) body.put("frequency_penalty", req.frequencyPenalty);
    if (req.presencePenalty != null) body.put("presence_penalty", req.presencePenalty);
    if (req.responseFormat != null && req.responseFormat.kind() != ResponseFormat.Kind.TEXT) {
      ObjectNode format = body.putObject("response_format").put("type", "json_object");
      if (req.responseFormat.schema() != null) format.set("json_schema", req.responseFormat.schema());
    }
    if (req.reasoning != null) {
      ObjectNode thinking = body.putObject("thinking");
      if ("none".equals(req.reasoning.effort())) thinking.put("type", "disabled");
      else thinking.put("type", "enabled").put("token_budget", req.reasoning.budgetOrDefault());
    }
    body.put("stream", req.stream);
    return Json.buffer(body);
  }

  /** Tool results become {@code tool} messages; the rest of the turn, if any, a user message after them. */
  private static void encodeUserSide(ArrayNode messages, Message m) {
    List<Part> rest = new ArrayList<>();
    for (Part p : m.parts) {
      if (p instanceof Part.ToolResult r) {
        messages.addObject().put("role", "tool").put("tool_call_id", r.toolCallId()).put("content", r.text());
      } else if (p instanceof Part.Text || p instanceof Part.Image) {
        rest.add(p);
      }
    }
    if (rest.isEmpty()) return;
    ObjectNode user = messages.addObject().put("role", "user");
    if (rest.stream().allMatch(p -> p instanceof Part.Text)) {
      StringBuilder text = new StringBuilder();
      rest.forEach(p -> text.append(((Part.Text) p).text()));
      user.put("content", text.toString());
      return;
    }
    ArrayNode content = user.putArray("content");
    for (Part p : rest) {
      if (p instanceof Part.Text t) {
        content.addObject().put("type", "text").put("text", t.text());
      } else if (p instanceof Part.Image img) {
        String url = img.isInline() ? "data:" + img.mediaType() + ";base64," + img.data() : img.url();
        ObjectNode imageUrl = content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
        if (img.detail() != null) imageUrl.put("detail", img.detail());
      }
    }
  }

  private static void encodeAssistant(ArrayNode messages, Message m) {
    StringBuilder text = new StringBuilder();
    ArrayNode thinking = Json.array();
    ArrayNode calls = Json.array();
    for (Part p : m.parts) {
      switch (p) {
        case Part.Text t -> text.append(t.text());
        case Part.Thinking th when th.text() != null && !th.text().isEmpty() ->
            thinking.addObject().put("type", "thinking").put("thinking", th.text());
        case Part.ToolCall c -> {
          ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
          call.putObject("function").put("name", c.name())
              .put("arguments", c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments());
        }
        default -> { }
      }
    }
    if (calls.isEmpty() && text.isEmpty() && thinking.isEmpty()) return;
    ObjectNode out = messages.addObject().put("role", "assistant");
    if (!calls.isEmpty()) {
      if (!text.isEmpty()) out.put("tool_plan", text.toString());
      out.set("tool_calls", calls);
      if (!thinking.isEmpty()) out.set("content", thinking);
    } else if (thinking.isEmpty()) {
      out.put("content", text.toString());
    } else {
      if (!text.isEmpty()) thinking.addObject().put("type", "text").put("text", text.toString());
      out.set("content", thinking);
    }
  }

  private static void encodeTools(ChatRequest req, ObjectNode body) {
    List<Tool> tools = req.tools;
    ToolChoice choice = req.toolChoice;
    if (choice != null && choice.mode() == ToolChoice.Mode.TOOL) {
      // Cohere cannot name a tool: offer only that one and require a call.
      tools = req.tools.stream().filter(t -> t.name().equals(choice.name())).toList();
      if (tools.isEmpty()) throw GatewayException.invalid("tool_choice", "'tool_choice' names tool '" + choice.name() + "' that is not in 'tools'");
    }
    if (tools.isEmpty()) return;
    ArrayNode out = body.putArray("tools");
    for (Tool t : tools) {
      ObjectNode fn = out.addObject().put("type", "function").putObject("function").put("name", t.name());
      if (t.description() != null) fn.put("description", t.description());
      fn.set("parameters", t.parameters() != null ? t.parameters() : Json.object().put("type", "object"));
    }
    if (choice != null) {
      switch (choice.mode()) {
        case NONE -> body.put("tool_choice", "NONE");
        case REQUIRED, TOOL -> body.put("tool_choice", "REQUIRED");
        case AUTO -> { }
      }
    }
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    JsonNode root = Json.parseUpstream(body);
    JsonNode message = root.path("message");
    if (!message.isObject()) throw GatewayException.badGateway(NO_MESSAGE);
    ChatResponse resp = new ChatResponse();
    resp.id = root.path("id").asText(null);
    for (JsonNode item : message.path("content")) {
      switch (item.path("type").asText()) {
        case "text" -> resp.content.add(new Part.Text(item.path("text").asText("")));
        case "thinking" -> resp.content.add(new Part.Thinking(item.path("thinking").asText(""), null, null));
        default -> { }
      }
    }
    String plan = message.path("tool_plan").asText("");
    if (!plan.isEmpty()) resp.content.add(new Part.Text(plan));
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode fn = call.path("function");
      String args = fn.path("arguments").isTextual() ? fn.get("arguments").asText() : Json.text(fn.path("arguments"));
      resp.content.add(new Part.ToolCall(call.path("id").asText(), fn.path("name").asText(), args.isBlank() ? "{}" : args));
    }
    resp.finishReason = finishReason(root.path("finish_reason").asText(null));
    resp.usage = usage(root.path("usage"));
    return resp;
  }

  /** The usage of an answer relayed as-is, read by a streaming scan (no tree); a 502 on garbage, as {@link #decodeResponse}. */
  @Override
  public Usage usageOf(Buffer body) {
    return JsonScan.object(body, NO_MESSAGE, p -> {
      boolean message = false;
      JsonNode usage = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        com.fasterxml.jackson.core.JsonToken t = p.nextToken();
        switch (field) {
          case "message" -> {
            message = t == com.fasterxml.jackson.core.JsonToken.START_OBJECT;
            p.skipChildren();
          }
          case "usage" -> usage = JsonScan.tree(p);
          default -> p.skipChildren();
        }
      }
      if (!message) throw GatewayException.badGateway(NO_MESSAGE);
      return usage(usage);
    });
  }

  private static final String NO_MESSAGE = "Cohere response has no 'message' object";

  @Override
  public StreamDecoder streamDecoder() { return new CohereStreamDecoder(); }

  @Override
  public StreamTap passthroughTap(boolean clientWantsUsage) { return new CohereStreamTap(); }

  @Override
  public String errorMessage(int status, Buffer body) {
    try {
      JsonNode n = Json.parse(body);
      if (n != null && n.path("message").isTextual()) return n.get("message").asText();
    } catch (IOException | RuntimeException e) {
      // fall through to the generic message
    }
    return "Cohere returned HTTP " + status;
  }

  public static FinishReason finishReason(String reason) {
    if (reason == null) return FinishReason.STOP;
    return switch (reason) {
      case "COMPLETE" -> FinishReason.STOP;
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "STOP_SEQUENCE" -> FinishReason.STOP_SEQUENCE;
      case "TOOL_CALL" -> FinishReason.TOOL_CALLS;
      case "ERROR" -> FinishReason.ERROR;
      default -> FinishReason.OTHER;
    };
  }

  /** Canonical to Cohere finish_reason (what a Cohere server would say). */
  public static String wireFinishReason(FinishReason reason) {
    return switch (reason) {
      case STOP, OTHER, CONTENT_FILTER -> "COMPLETE";
      case LENGTH -> "MAX_TOKENS";
      case STOP_SEQUENCE -> "STOP_SEQUENCE";
      case TOOL_CALLS -> "TOOL_CALL";
      case ERROR -> "ERROR";
    };
  }

  /** Billed units are what Cohere charges (and what prices apply to); raw token counts are the fallback. */
  public static Usage usage(JsonNode u) {
    JsonNode counts = u.path("billed_units").has("input_tokens") || u.path("billed_units").has("output_tokens")
        ? u.path("billed_units") : u.path("tokens");
    return new Usage(counts.path("input_tokens").asLong(0), counts.path("output_tokens").asLong(0));
  }

  public static ObjectNode usageNode(Usage u) {
    ObjectNode n = Json.object();
    n.putObject("billed_units").put("input_tokens", u.inputTokens()).put("output_tokens", u.outputTokens());
    n.putObject("tokens").put("input_tokens", u.inputTokens()).put("output_tokens", u.outputTokens());
    return n;
  }
}
