package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.FinishReason;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.Tool;
import io.junction.protocol.Usage;
import java.util.ArrayList;
import java.util.List;

/** Response objects (and their output items) to and from the canonical {@link ChatResponse}. */
final class ResponsesOutput {
  private ResponsesOutput() {}

  // ---- encode (canonical -> client) ----

  static ObjectNode encode(ChatResponse r, ResponsesContext ctx, String model) {
    ArrayNode output = Json.array();
    List<Part> text = new ArrayList<>();
    for (Part p : r.content) {
      if (p instanceof Part.Text) {
        text.add(p);
        continue;
      }
      flushText(text, output);
      switch (p) {
        case Part.Thinking th -> {
          if (th.redactedData() == null) output.add(reasoningItem(ResponseIds.next("rs"), th.text(), th.signature()));
        }
        case Part.ToolCall c -> output.add(callItem(ctx, ResponseIds.next(ctx.isCustom(c.name()) ? "ctc" : "fc"), c, "completed"));
        default -> { }
      }
    }
    flushText(text, output);
    long created = r.created > 0 ? r.created : System.currentTimeMillis() / 1000;
    return response(ctx, ResponseIds.next("resp"), model, created, status(r.finishReason), output, r.usage, r.finishReason, null);
  }

  private static void flushText(List<Part> text, ArrayNode output) {
    if (text.isEmpty()) return;
    StringBuilder sb = new StringBuilder();
    for (Part p : text) sb.append(((Part.Text) p).text());
    output.add(messageItem(ResponseIds.next("msg"), sb.toString(), "completed"));
    text.clear();
  }

  static String status(FinishReason reason) {
    return reason == FinishReason.LENGTH || reason == FinishReason.CONTENT_FILTER ? "incomplete" : "completed";
  }

  /** A Response object. {@code usage} null leaves it null (the in-progress snapshots of a stream). */
  static ObjectNode response(ResponsesContext ctx, String id, String model, long createdAt, String status, ArrayNode output,
      Usage usage, FinishReason reason, ObjectNode error) {
    ObjectNode o = Json.object();
    o.put("id", id).put("object", "response").put("created_at", createdAt).put("status", status);
    o.put("background", ctx.echo.path("background").asBoolean(false));
    if (error == null) o.putNull("error");
    else o.set("error", error);
    if ("incomplete".equals(status)) {
      o.putObject("incomplete_details").put("reason", reason == FinishReason.CONTENT_FILTER ? "content_filter" : "max_output_tokens");
    } else {
      o.putNull("incomplete_details");
    }
    echo(o, ctx, "instructions");
    echo(o, ctx, "max_output_tokens");
    o.put("model", model);
    o.set("output", output);
    o.put("parallel_tool_calls", ctx.echo.path("parallel_tool_calls").asBoolean(true));
    echo(o, ctx, "previous_response_id");
    if (ctx.echo.has("reasoning")) o.set("reasoning", ctx.echo.get("reasoning"));
    else o.putObject("reasoning").putNull("effort").putNull("summary");
    o.put("store", ctx.echo.path("store").asBoolean(true));
    if (ctx.echo.has("temperature")) o.set("temperature", ctx.echo.get("temperature"));
    else o.put("temperature", 1.0);
    if (ctx.echo.has("text")) o.set("text", ctx.echo.get("text"));
    else o.putObject("text").putObject("format").put("type", "text");
    o.set("tool_choice", ctx.echo.has("tool_choice") ? ctx.echo.get("tool_choice") : Json.NODES.textNode("auto"));
    o.set("tools", ctx.echo.has("tools") ? ctx.echo.get("tools") : Json.array());
    if (ctx.echo.has("top_p")) o.set("top_p", ctx.echo.get("top_p"));
    else o.put("top_p", 1.0);
    o.put("truncation", ctx.echo.path("truncation").asText("disabled"));
    if (usage == null) o.putNull("usage");
    else o.set("usage", usage(usage));
    echo(o, ctx, "user");
    o.set("metadata", ctx.echo.has("metadata") && ctx.echo.get("metadata").isObject() ? ctx.echo.get("metadata") : Json.object());
    return o;
  }

  private static void echo(ObjectNode o, ResponsesContext ctx, String field) {
    JsonNode v = ctx.echo.get(field);
    if (v == null) o.putNull(field);
    else o.set(field, v);
  }

  static ObjectNode messageItem(String id, String text, String status) {
    ObjectNode m = Json.object().put("id", id).put("type", "message").put("status", status).put("role", "assistant");
    ArrayNode content = m.putArray("content");
    if (text != null) content.add(outputText(text));
    return m;
  }

  static ObjectNode outputText(String text) {
    ObjectNode t = Json.object().put("type", "output_text").put("text", text);
    t.putArray("annotations");
    t.putArray("logprobs");
    return t;
  }

  static ObjectNode reasoningItem(String id, String text, String encrypted) {
    ObjectNode o = Json.object().put("id", id).put("type", "reasoning");
    ArrayNode summary = o.putArray("summary");
    if (text != null && !text.isEmpty()) summary.addObject().put("type", "summary_text").put("text", text);
    if (encrypted != null) o.put("encrypted_content", encrypted);
    return o;
  }

  /** A function_call or custom_tool_call item (namespaced names split back into name and namespace). */
  static ObjectNode callItem(ResponsesContext ctx, String id, Part.ToolCall c, String status) {
    ObjectNode o = Json.object().put("id", id);
    String[] split = ctx.split(c.name());
    if (ctx.isCustom(c.name())) {
      o.put("type", "custom_tool_call").put("status", status).put("call_id", c.id());
      o.put("name", split == null ? c.name() : split[1]).put("input", ResponsesRequests.customInput(c.arguments()));
    } else {
      o.put("type", "function_call").put("status", status).put("call_id", c.id());
      o.put("name", split == null ? c.name() : split[1]).put("arguments", c.arguments());
    }
    if (split != null) o.put("namespace", split[0]);
    return o;
  }

  static ObjectNode usage(Usage u) {
    ObjectNode o = Json.object();
    o.put("input_tokens", u.inputTokens());
    o.putObject("input_tokens_details").put("cached_tokens", u.cacheReadTokens());
    o.put("output_tokens", u.outputTokens());
    o.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    o.put("total_tokens", u.totalTokens());
    return o;
  }

  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) return Usage.ZERO;
    return new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
        u.path("input_tokens_details").path("cached_tokens").asLong(), 0,
        u.path("output_tokens_details").path("reasoning_tokens").asLong());
  }

  // ---- decode (upstream -> canonical) ----

  static ChatResponse decode(JsonNode b) {
    if (!b.isObject() || !"response".equals(b.path("object").asText("response")) || !b.has("output")) {
      throw GatewayException.badGateway("Upstream answer is not a Response object");
    }
    ChatResponse r = new ChatResponse();
    r.id = b.path("id").asText(null);
    r.model = b.path("model").asText(null);
    if (b.has("created_at")) r.created = b.path("created_at").asLong();
    boolean calls = false;
    for (JsonNode item : b.path("output")) {
      Part p = null;
      switch (item.path("type").asText()) {
        case "message" -> {
          for (JsonNode c : item.path("content")) {
            if ("output_text".equals(c.path("type").asText())) r.content.add(new Part.Text(c.path("text").asText("")));
            else if ("refusal".equals(c.path("type").asText())) r.content.add(new Part.Text(c.path("refusal").asText("")));
          }
        }
        case "reasoning" -> p = thinking(item);
        case "function_call", "custom_tool_call" -> {
          p = toolCall(item);
          calls = true;
        }
        default -> { }
      }
      if (p != null) r.content.add(p);
    }
    r.finishReason = finishReason(b, calls);
    r.usage = usage(b.get("usage"));
    return r;
  }

  static Part.Thinking thinking(JsonNode item) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode s : item.path("summary")) {
      if (!sb.isEmpty()) sb.append("\n\n");
      sb.append(s.path("text").asText(""));
    }
    if (sb.isEmpty()) for (JsonNode c : item.path("content")) sb.append(c.path("text").asText(""));
    String encrypted = item.path("encrypted_content").isTextual() ? item.get("encrypted_content").asText() : null;
    return sb.isEmpty() && encrypted == null ? null : new Part.Thinking(sb.toString(), encrypted, null);
  }

  static Part.ToolCall toolCall(JsonNode item) {
    String name = canonicalName(item);
    if ("custom_tool_call".equals(item.path("type").asText())) {
      return new Part.ToolCall(item.path("call_id").asText(), name, Json.text(Json.object().put("input", item.path("input").asText(""))));
    }
    String args = item.path("arguments").asText("");
    return new Part.ToolCall(item.path("call_id").asText(), name, args.isEmpty() ? "{}" : args);
  }

  static String canonicalName(JsonNode item) {
    String name = item.path("name").asText();
    String ns = item.path("namespace").asText(null);
    return ns == null ? name : ns + Tool.NAMESPACE_SEPARATOR + name;
  }

  static FinishReason finishReason(JsonNode response, boolean calls) {
    if ("incomplete".equals(response.path("status").asText())) {
      return "content_filter".equals(response.path("incomplete_details").path("reason").asText())
          ? FinishReason.CONTENT_FILTER : FinishReason.LENGTH;
    }
    return calls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
  }
}
