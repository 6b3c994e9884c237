package io.junction.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Message;
import io.junction.protocol.Part;
import io.junction.protocol.Reasoning;
import io.junction.protocol.ResponseFormat;
import io.junction.protocol.Role;
import io.junction.protocol.Tool;
import io.junction.protocol.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A client's GenerateContentRequest to the canonical request, validated as strictly as Google
 * does: every bad field is a 400 naming its path ({@code contents[2].parts[0].functionCall.name}).
 * One instance per request: it tracks the function calls seen so far to pair responses with them.
 */
final class GeminiRequestDecoder {
  /** Exactly one of these carries a part's data. */
  private static final Set<String> PART_DATA = Set.of("text", "inlineData", "fileData", "functionCall", "functionResponse");
  /** Accompany the data; harmless to drop when translating. */
  private static final Set<String> PART_MODIFIERS = Set.of("thought", "thoughtSignature", "videoMetadata", "mediaResolution", "partMetadata");
  /** Google-hosted tools: only a Gemini upstream can run them, so other upstreams simply do without. */
  private static final Set<String> BUILT_IN_TOOLS = Set.of("googleSearch", "googleSearchRetrieval", "codeExecution",
      "urlContext", "fileSearch", "googleMaps", "computerUse", "enterpriseWebSearch", "retrieval");

  /** A functionCall seen in an earlier model turn, waiting for its functionResponse. */
  private record PendingCall(String id, String name) {}

  private final List<PendingCall> pending = new ArrayList<>();
  private int callCount;

  static ChatRequest decode(JsonNode body, String pathModel) {
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "Request body must be a JSON object");
    return new GeminiRequestDecoder().request(GeminiWireNames.request((ObjectNode) body), pathModel);
  }

  /** countTokens takes either bare {@code contents} or a whole {@code generateContentRequest}. */
  static ChatRequest decodeCountTokens(JsonNode body, String pathModel) {
    if (body == null || !body.isObject()) throw GatewayException.invalid(null, "Request body must be a JSON object");
    ObjectNode top = ((ObjectNode) body).deepCopy();
    GeminiWireNames.camelCase(top);
    ObjectNode wrapped = Json.objectField(top, "generateContentRequest", "generateContentRequest");
    if (wrapped != null) {
      try {
        return decode(wrapped, pathModel);
      } catch (GatewayException e) {
        // Name the field where the client put it: under generateContentRequest.
        String param = e.param == null ? "generateContentRequest" : "generateContentRequest." + e.param;
        throw GatewayException.invalid(param, e.getMessage().replace("'" + e.param + "'", "'" + param + "'"));
      }
    }
    ObjectNode contentsOnly = Json.object();
    contentsOnly.set("contents", top.get("contents"));
    return decode(contentsOnly, pathModel);
  }

  private ChatRequest request(JsonNode body, String pathModel) {
    ChatRequest req = new ChatRequest();
    String bodyModel = Json.string(body, "model", "model");
    req.model = stripModelsPrefix(pathModel != null ? pathModel : bodyModel);

    ArrayNode contents = Json.arrayField(body, "contents", "contents");
    if (contents == null || contents.isEmpty()) throw GatewayException.invalid("contents", "'contents' must be a non-empty array");
    for (int i = 0; i < contents.size(); i++) req.messages.add(content(contents.get(i), "contents[" + i + "]"));

    ObjectNode system = Json.objectField(body, "systemInstruction", "systemInstruction");
    if (system != null) systemInstruction(system, req);
    ArrayNode tools = Json.arrayField(body, "tools", "tools");
    if (tools != null) for (int i = 0; i < tools.size(); i++) tool(tools.get(i), "tools[" + i + "]", req);
    ObjectNode toolConfig = Json.objectField(body, "toolConfig", "toolConfig");
    if (toolConfig != null) req.toolChoice = toolChoice(toolConfig);
    ObjectNode config = Json.objectField(body, "generationConfig", "generationConfig");
    if (config != null) generationConfig(config, req);
    return req;
  }

  static String stripModelsPrefix(String model) {
    return model != null && model.startsWith("models/") ? model.substring("models/".length()) : model;
  }

  private Message content(JsonNode content, String path) {
    if (!content.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    String role = Json.string(content, "role", path + ".role");
    Role canonical;
    if (role == null || role.equals("user")) canonical = Role.USER;
    else if (role.equals("model")) canonical = Role.ASSISTANT;
    else throw GatewayException.invalid(path + ".role", "'" + path + ".role' must be 'user' or 'model', got '" + role + "'");
    ArrayNode parts = Json.arrayField(content, "parts", path + ".parts");
    if (parts == null || parts.isEmpty()) throw GatewayException.invalid(path + ".parts", "'" + path + ".parts' must be a non-empty array");
    Message message = new Message(canonical);
    for (int i = 0; i < parts.size(); i++) part(parts.get(i), path + ".parts[" + i + "]", message);
    return message;
  }

  private void part(JsonNode part, String path, Message into) {
    if (!part.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    String kind = null;
    for (Map.Entry<String, JsonNode> field : part.properties()) {
      String key = field.getKey();
      if (PART_DATA.contains(key)) {
        if (kind != null) throw GatewayException.invalid(path, "'" + path + "' must hold exactly one of text, inlineData, fileData, functionCall, functionResponse; got " + kind + " and " + key);
        kind = key;
      } else if (!PART_MODIFIERS.contains(key)) {
        throw GatewayException.invalid(path + "." + key, "Unsupported part field '" + path + "." + key + "'");
      }
    }
    if (kind == null) throw GatewayException.invalid(path, "'" + path + "' must hold one of text, inlineData, fileData, functionCall, functionResponse");
    boolean model = into.role == Role.ASSISTANT;
    boolean thought = Boolean.TRUE.equals(Json.bool(part, "thought", path + ".thought"));
    String signature = Json.string(part, "thoughtSignature", path + ".thoughtSignature");
    if (thought) {
      if (!kind.equals("text")) throw GatewayException.invalid(path + ".thought", "'" + path + ".thought' is only allowed on text parts");
      into.parts.add(new Part.Thinking(Json.string(part, "text", path + ".text"), signature, null));
      return;
    }
    // A signature on a non-thought part travels as an empty thinking part right before it.
    if (signature != null && model) into.parts.add(new Part.Thinking("", signature, null));
    switch (kind) {
      case "text" -> into.parts.add(new Part.Text(Json.string(part, "text", path + ".text")));
      case "inlineData" -> {
        ObjectNode blob = Json.objectField(part, "inlineData", path + ".inlineData");
        into.parts.add(Part.Image.ofBase64(requiredString(blob, "mimeType", path + ".inlineData"), requiredString(blob, "data", path + ".inlineData")));
      }
      case "fileData" -> {
        ObjectNode file = Json.objectField(part, "fileData", path + ".fileData");
        String mime = Json.string(file, "mimeType", path + ".fileData.mimeType");
        into.parts.add(new Part.Image(requiredString(file, "fileUri", path + ".fileData"), mime, null, null));
      }
      case "functionCall" -> {
        if (!model) throw GatewayException.invalid(path + ".functionCall", "'" + path + ".functionCall' is only allowed in a 'model' turn");
        into.parts.add(functionCall(Json.objectField(part, "functionCall", path + ".functionCall"), path + ".functionCall"));
      }
      default -> {
        if (model) throw GatewayException.invalid(path + ".functionResponse", "'" + path + ".functionResponse' is only allowed in a 'user' turn");
        into.parts.add(functionResponse(Json.objectField(part, "functionResponse", path + ".functionResponse"), path + ".functionResponse"));
      }
    }
  }

  private Part.ToolCall functionCall(ObjectNode call, String path) {
    String name = requiredString(call, "name", path);
    ObjectNode args = Json.objectField(call, "args", path + ".args");
    String id = Json.string(call, "id", path + ".id");
    // Gemini often omits ids; the canonical model (and OpenAI/Anthropic upstreams) need one.
    if (id == null || id.isEmpty()) id = "call_" + callCount;
    callCount++;
    pending.add(new PendingCall(id, name));
    return new Part.ToolCall(id, name, args == null ? "{}" : Json.text(args));
  }

  /** Pairs the response with its call: by id when both have one, else the oldest open call of that name. */
  private Part.ToolResult functionResponse(ObjectNode response, String path) {
    String name = requiredString(response, "name", path);
    String id = Json.string(response, "id", path + ".id");
    if (!response.has("response") || !response.get("response").isObject()) {
      throw GatewayException.invalid(path + ".response", "'" + path + ".response' must be an object");
    }
    JsonNode payload = response.get("response");
    PendingCall match = null;
    for (PendingCall call : pending) if (id != null && id.equals(call.id)) { match = call; break; }
    if (match == null) for (PendingCall call : pending) if (call.name.equals(name)) { match = call; break; }
    if (match == null) {
      throw GatewayException.invalid(path, "'" + path + "' answers function '" + name + "' but no earlier functionCall of that name is waiting for a response");
    }
    pending.remove(match);
    boolean isError = payload.has("error") && !payload.has("output");
    return new Part.ToolResult(match.id, name, List.of(new Part.Text(resultText(payload, isError))), isError);
  }

  /**
   * Gemini's convention: the "output" key holds the function's output, "error" its error details;
   * without them the whole object is the output. Other protocols carry results as text, so the
   * value is unwrapped ({"output":"18C"} is the result "18C") unless other keys would be lost.
   */
  private static String resultText(JsonNode payload, boolean isError) {
    boolean onlyConventionalKeys = payload.size() == 1 && (payload.has("output") || payload.has("error"));
    if (!onlyConventionalKeys) return Json.text(payload);
    JsonNode value = payload.get(isError ? "error" : "output");
    return value.isTextual() ? value.asText() : Json.text(value);
  }

  private static void systemInstruction(ObjectNode system, ChatRequest req) {
    ArrayNode parts = Json.arrayField(system, "parts", "systemInstruction.parts");
    if (parts == null) throw GatewayException.invalid("systemInstruction.parts", "'systemInstruction.parts' must be an array");
    for (int i = 0; i < parts.size(); i++) {
      String path = "systemInstruction.parts[" + i + "]";
      JsonNode part = parts.get(i);
      if (!part.isObject() || !part.has("text")) throw GatewayException.invalid(path, "'" + path + "' must be a text part");
      req.system.add(new Part.Text(Json.string(part, "text", path + ".text")));
    }
  }

  private static void tool(JsonNode tool, String path, ChatRequest req) {
    if (!tool.isObject()) throw GatewayException.invalid(path, "'" + path + "' must be an object");
    for (Map.Entry<String, JsonNode> field : tool.properties()) {
      String key = field.getKey();
      if (key.equals("functionDeclarations")) continue;
      if (!BUILT_IN_TOOLS.contains(key)) throw GatewayException.invalid(path + "." + key, "Unsupported tool '" + path + "." + key + "'");
    }
    ArrayNode declarations = Json.arrayField(tool, "functionDeclarations", path + ".functionDeclarations");
    if (declarations == null) return;
    for (int i = 0; i < declarations.size(); i++) {
      String declPath = path + ".functionDeclarations[" + i + "]";
      JsonNode decl = declarations.get(i);
      if (!decl.isObject()) throw GatewayException.invalid(declPath, "'" + declPath + "' must be an object");
      String name = requiredString(decl, "name", declPath);
      String description = Json.string(decl, "description", declPath + ".description");
      ObjectNode jsonSchema = Json.objectField(decl, "parametersJsonSchema", declPath + ".parametersJsonSchema");
      ObjectNode openApi = Json.objectField(decl, "parameters", declPath + ".parameters");
      JsonNode parameters = jsonSchema != null ? jsonSchema : openApi != null ? GeminiSchemas.toJsonSchema(openApi) : null;
      req.tools.add(new Tool(name, description, parameters));
    }
  }

  private static ToolChoice toolChoice(ObjectNode toolConfig) {
    ObjectNode config = Json.objectField(toolConfig, "functionCallingConfig", "toolConfig.functionCallingConfig");
    if (config == null) return null;
    String path = "toolConfig.functionCallingConfig";
    String mode = Json.string(config, "mode", path + ".mode");
    ArrayNode allowed = Json.arrayField(config, "allowedFunctionNames", path + ".allowedFunctionNames");
    if (allowed != null) for (JsonNode n : allowed) {
      if (!n.isTextual()) throw GatewayException.invalid(path + ".allowedFunctionNames", "'" + path + ".allowedFunctionNames' must be an array of strings");
    }
    if (mode == null) return null;
    return switch (mode.toUpperCase(Locale.ROOT)) {
      case "AUTO", "MODE_UNSPECIFIED", "VALIDATED" -> ToolChoice.AUTO;
      case "NONE" -> ToolChoice.NONE;
      // One allowed name is a forced call of that tool; several can only be "some tool".
      case "ANY" -> allowed != null && allowed.size() == 1 ? ToolChoice.tool(allowed.get(0).asText()) : ToolChoice.REQUIRED;
      default -> throw GatewayException.invalid(path + ".mode", "'" + path + ".mode' must be one of AUTO, ANY, NONE, VALIDATED");
    };
  }

  private static void generationConfig(ObjectNode config, ChatRequest req) {
    String p = "generationConfig.";
    req.temperature = Json.number(config, "temperature", p + "temperature");
    req.topP = Json.number(config, "topP", p + "topP");
    req.topK = Json.integer(config, "topK", p + "topK");
    req.maxTokens = Json.integer(config, "maxOutputTokens", p + "maxOutputTokens");
    req.n = Json.integer(config, "candidateCount", p + "candidateCount");
    Integer seed = Json.integer(config, "seed", p + "seed");
    req.seed = seed == null ? null : seed.longValue();
    req.presencePenalty = Json.number(config, "presencePenalty", p + "presencePenalty");
    req.frequencyPenalty = Json.number(config, "frequencyPenalty", p + "frequencyPenalty");
    ArrayNode stops = Json.arrayField(config, "stopSequences", p + "stopSequences");
    if (stops != null) for (JsonNode s : stops) {
      if (!s.isTextual()) throw GatewayException.invalid(p + "stopSequences", "'" + p + "stopSequences' must be an array of strings");
      req.stop.add(s.asText());
    }
    req.responseFormat = responseFormat(config);
    ObjectNode thinking = Json.objectField(config, "thinkingConfig", p + "thinkingConfig");
    if (thinking != null) req.reasoning = reasoning(thinking);
  }

  private static ResponseFormat responseFormat(ObjectNode config) {
    String p = "generationConfig.";
    String mime = Json.string(config, "responseMimeType", p + "responseMimeType");
    ObjectNode jsonSchema = Json.objectField(config, "responseJsonSchema", p + "responseJsonSchema");
    ObjectNode openApi = Json.objectField(config, "responseSchema", p + "responseSchema");
    if (mime != null && !mime.equals("text/plain") && !mime.equals("application/json")) {
      throw GatewayException.invalid(p + "responseMimeType", "'" + p + "responseMimeType' must be text/plain or application/json");
    }
    JsonNode schema = jsonSchema != null ? jsonSchema : openApi != null ? GeminiSchemas.toJsonSchema(openApi) : null;
    if (schema != null) return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "response", schema, null);
    return "application/json".equals(mime) ? ResponseFormat.JSON : null;
  }

  /** thinkingBudget -1 is "dynamic" (no fixed budget); 0 turns thinking off and stays a 0 budget. */
  private static Reasoning reasoning(ObjectNode thinking) {
    String p = "generationConfig.thinkingConfig.";
    Integer budget = Json.integer(thinking, "thinkingBudget", p + "thinkingBudget");
    Boolean include = Json.bool(thinking, "includeThoughts", p + "includeThoughts");
    String level = Json.string(thinking, "thinkingLevel", p + "thinkingLevel");
    String effort = null;
    if (level != null) {
      effort = level.toLowerCase(Locale.ROOT);
      if (!Set.of("minimal", "low", "medium", "high", "thinking_level_unspecified").contains(effort)) {
        throw GatewayException.invalid(p + "thinkingLevel", "'" + p + "thinkingLevel' must be one of MINIMAL, LOW, MEDIUM, HIGH");
      }
      if (effort.equals("thinking_level_unspecified")) effort = null;
    }
    if (budget != null && budget < 0) budget = null;
    return new Reasoning(effort, budget, Boolean.TRUE.equals(include));
  }

  private static String requiredString(JsonNode obj, String field, String parentPath) {
    String path = parentPath + "." + field;
    String value = Json.string(obj, field, path);
    if (value == null || value.isEmpty()) throw GatewayException.invalid(path, "'" + path + "' is required");
    return value;
  }
}
