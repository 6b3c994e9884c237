package io.junction.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.Json;
import io.junction.protocol.Part;
import io.junction.protocol.bedrock.BedrockCodec;
import io.junction.protocol.bedrock.EventStream;
import io.junction.provider.AwsSigV4;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict stand-in for Bedrock: {@code POST /model/{id}/converse}, {@code /converse-stream}
 * (binary event stream) and {@code GET /foundation-models}. Every request must carry a valid
 * SigV4 signature, recomputed here from the known secret (403 with AWS's exception types
 * otherwise); Converse bodies are validated like Bedrock does (400 ValidationException).
 * Errors are {@code {"message": "..."}} with an {@code x-amzn-ErrorType} header.
 */
public final class MockBedrockServer extends MockUpstreamBase {

  private static final Pattern AUTH = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");
  private static final Pattern CHAT_PATH = Pattern.compile("/model/([^/]+)/(converse|converse-stream)");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> REQUEST_FIELDS = Set.of("messages", "system", "inferenceConfig", "toolConfig",
      "guardrailConfig", "additionalModelRequestFields", "promptVariables", "additionalModelResponseFieldPaths",
      "requestMetadata", "performanceConfig");
  private static final Set<String> BLOCK_TYPES = Set.of("text", "image", "document", "video", "toolUse", "toolResult",
      "guardContent", "cachePoint", "reasoningContent", "citationsContent");

  private final AwsSigV4.Credentials credentials;
  private final String region;
  /** Model ids GET /foundation-models lists. */
  public final List<String> models = new ArrayList<>(List.of("anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.nova-pro-v1:0"));

  private MockBedrockServer(Vertx vertx, AwsSigV4.Credentials credentials, String region) {
    super(vertx);
    this.credentials = credentials;
    this.region = region;
  }

  /** {@code credentials} is what signers must hold (session token included, if any). */
  public static MockBedrockServer start(Vertx vertx, AwsSigV4.Credentials credentials, String region) {
    MockBedrockServer s = new MockBedrockServer(vertx, credentials, region);
    s.listen();
    return s;
  }

  /** The model id of the last chat call, decoded from its path. */
  public String lastModelId() {
    Matcher m = CHAT_PATH.matcher(last().path());
    return m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
  }

  @Override
  protected void handle(HttpServerRequest req, Buffer body) {
    String authProblem = verifySignature(req, body);
    if (authProblem != null) {
      sendError(req, 403, authProblem.startsWith("Unrecognized") ? "UnrecognizedClientException" : "InvalidSignatureException", authProblem);
      return;
    }
    Matcher chat = CHAT_PATH.matcher(req.path());
    if (req.method() == HttpMethod.GET && req.path().equals("/foundation-models")) {
      ObjectNode list = Json.object();
      models.forEach(m -> list.withArray("modelSummaries").addObject().put("modelId", m).put("modelName", m));
      send(req.response(), 200, "application/json", List.of(Json.buffer(list)));
    } else if (req.method() == HttpMethod.POST && chat.matches()) {
      converse(req, body, chat.group(2).equals("converse-stream"));
    } else {
      sendError(req, 404, "UnknownOperationException", "no operation at " + req.method() + " " + req.path());
    }
  }

  /** Null when the request is signed correctly, else the reason AWS would give. */
  private String verifySignature(HttpServerRequest req, Buffer body) {
    String authorization = req.getHeader("authorization");
    if (authorization == null) return "Missing Authentication Token";
    Matcher m = AUTH.matcher(authorization);
    if (!m.matches()) return "Authorization header is malformed: " + authorization;
    if (!m.group(1).equals(credentials.accessKeyId())) return "Unrecognized access key: The security token included in the request is invalid.";
    String amzDate = req.getHeader("x-amz-date");
    if (amzDate == null) return "x-amz-date is missing";
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (RuntimeException e) {
      return "x-amz-date is malformed";
    }
    if (Duration.between(signedAt, Instant.now()).abs().toMinutes() > 15) return "Signature expired: " + amzDate;
    if (!m.group(2).equals(amzDate.substring(0, 8))) return "credential scope date does not match x-amz-date";
    if (!m.group(3).equals(region)) return "credential scope region should be " + region + ", not " + m.group(3);
    if (!m.group(4).equals("bedrock")) return "credential scope service should be bedrock, not " + m.group(4);
    List<String> signedNames = List.of(m.group(5).split(";"));
    for (String required : List.of("host", "x-amz-date")) {
      if (!signedNames.contains(required)) return required + " must be signed";
    }
    if (credentials.sessionToken() != null) {
      if (!credentials.sessionToken().equals(req.getHeader("x-amz-security-token"))) return "Unrecognized session: The security token included in the request is invalid.";
      if (!signedNames.contains("x-amz-security-token")) return "x-amz-security-token must be signed";
    }
    TreeMap<String, String> signed = new TreeMap<>();
    MultiMap headers = req.headers();
    for (String name : signedNames) {
      if (!headers.contains(name)) return "signed header " + name + " is missing";
      signed.put(name, String.join(",", headers.getAll(name)));
    }
    String expected = AwsSigV4.authorization(req.method().name(), req.path(), req.query(), signed, body.getBytes(),
        credentials, region, "bedrock", amzDate);
    return expected.equals(authorization) ? null
        : "The request signature we calculated does not match the signature you provided.";
  }

  private void converse(HttpServerRequest req, Buffer body, boolean stream) {
    JsonNode json;
    try {
      json = Json.parse(body);
    } catch (IOException e) {
      sendError(req, 400, "SerializationException", "body is not valid JSON");
      return;
    }
    String problem = validate(json);
    if (problem != null) {
      sendError(req, 400, "ValidationException", problem);
      return;
    }
    switch (nextReply()) {
      case Reply.Answer a when stream -> send(req.response(), 200, "application/vnd.amazon.eventstream", frames(a.response()));
      case Reply.Answer a -> send(req.response(), 200, "application/json", List.of(Json.buffer(json(a.response()))));
      case Reply.Error e -> sendError(req, e.status(), errorType(e.status()), e.message());
      case Reply.Raw r -> send(req.response(), r.status(), r.contentType(), r.chunks());
      case Reply.Cut c -> cut(req.response(), c);
    }
  }

  private static String validate(JsonNode body) {
    if (!body.isObject()) return "body must be an object";
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!REQUEST_FIELDS.contains(f)) return "extraneous key [" + f + "] is not permitted";
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) return "messages must be a non-empty array";
    if (!"user".equals(messages.get(0).path("role").asText())) return "A conversation must start with a user message.";
    String previous = null;
    boolean usesTools = false;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText();
      if (!role.equals("user") && !role.equals("assistant")) return "messages." + i + ".role must be user or assistant";
      if (role.equals(previous)) return "A conversation must alternate between user and assistant roles.";
      previous = role;
      JsonNode content = m.path("content");
      if (!content.isArray() || content.isEmpty()) return "messages." + i + ".content must be a non-empty array";
      for (JsonNode block : content) {
        String problem = validateBlock(block, "messages." + i);
        if (problem != null) return problem;
        usesTools |= block.has("toolUse") || block.has("toolResult");
      }
    }
    for (JsonNode s : body.path("system")) {
      if (!s.has("text") && !s.has("cachePoint") && !s.has("guardContent")) return "system blocks need text";
    }
    JsonNode tools = body.path("toolConfig").path("tools");
    if (usesTools && (!tools.isArray() || tools.isEmpty())) {
      return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
    }
    for (JsonNode t : tools) {
      JsonNode spec = t.path("toolSpec");
      if (!spec.path("name").isTextual() || !spec.path("inputSchema").path("json").isObject()) return "toolSpec needs name and inputSchema.json";
    }
    JsonNode choice = body.path("toolConfig").path("toolChoice");
    if (!choice.isMissingNode() && !(choice.has("auto") || choice.has("any") || choice.path("tool").path("name").isTextual())) {
      return "toolChoice must be auto, any or tool{name}";
    }
    return null;
  }

  private static String validateBlock(JsonNode block, String path) {
    if (block.size() != 1 || !BLOCK_TYPES.contains(block.fieldNames().next())) return path + ": each content block needs exactly one known member";
    if (block.has("text") && block.get("text").asText().isBlank()) return path + ": text content blocks must be non-empty";
    if (block.has("image")) {
      JsonNode image = block.get("image");
      if (!Set.of("png", "jpeg", "gif", "webp").contains(image.path("format").asText())) return path + ": bad image format";
      try {
        Base64.getDecoder().decode(image.path("source").path("bytes").asText("!"));
      } catch (IllegalArgumentException e) {
        return path + ": image bytes must be base64";
      }
    }
    if (block.has("toolUse")) {
      JsonNode use = block.get("toolUse");
      if (!use.path("toolUseId").isTextual() || !use.path("name").isTextual() || !use.path("input").isObject()) {
        return path + ": toolUse needs toolUseId, name and an input object";
      }
    }
    if (block.has("toolResult")) {
      JsonNode result = block.get("toolResult");
      if (!result.path("toolUseId").isTextual() || !result.path("content").isArray()) return path + ": toolResult needs toolUseId and content";
      if (result.has("status") && !Set.of("success", "error").contains(result.get("status").asText())) return path + ": bad toolResult status";
    }
    return null;
  }

  private void sendError(HttpServerRequest req, int status, String type, String message) {
    req.response().putHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    send(req.response(), status, "application/json", List.of(Json.buffer(Json.object().put("message", message))));
  }

  private static String errorType(int status) {
    return switch (status) {
      case 400 -> "ValidationException";
      case 403 -> "AccessDeniedException";
      case 404 -> "ResourceNotFoundException";
      case 408 -> "ModelTimeoutException";
      case 424 -> "ModelErrorException";
      case 429 -> "ThrottlingException";
      case 503 -> "ServiceUnavailableException";
      default -> "InternalServerException";
    };
  }

  /** A non-streamed Converse answer. */
  public static ObjectNode json(ChatResponse r) {
    ObjectNode root = Json.object();
    ObjectNode message = root.putObject("output").putObject("message").put("role", "assistant");
    var content = message.putArray("content");
    for (Part p : r.content) {
      switch (p) {
        case Part.Text t -> content.addObject().put("text", t.text());
        case Part.ToolCall c -> content.addObject().putObject("toolUse").put("toolUseId", c.id()).put("name", c.name())
            .set("input", parse(c.arguments()));
        case Part.Thinking th -> content.addObject().putObject("reasoningContent").putObject("reasoningText")
            .put("text", th.text()).put("signature", th.signature());
        default -> { }
      }
    }
    root.put("stopReason", BedrockCodec.stopReason(r.finishReason));
    root.set("usage", BedrockCodec.usageNode(r.usage));
    root.putObject("metrics").put("latencyMs", 321);
    return root;
  }

  /** The same answer as ConverseStream frames, one buffer per frame; text and tool input cut into small deltas. */
  public static List<Buffer> frames(ChatResponse r) {
    List<Buffer> out = new ArrayList<>();
    out.add(eventFrame("messageStart", Json.object().put("role", "assistant")));
    for (int i = 0; i < r.content.size(); i++) {
      Part p = r.content.get(i);
      switch (p) {
        case Part.Text t -> {
          for (String piece : MockCohereServer.pieces(t.text())) out.add(delta(i, Json.object().put("text", piece)));
        }
        case Part.Thinking th -> {
          for (String piece : MockCohereServer.pieces(th.text())) {
            out.add(delta(i, Json.object().set("reasoningContent", Json.object().put("text", piece))));
          }
          if (th.signature() != null) out.add(delta(i, Json.object().set("reasoningContent", Json.object().put("signature", th.signature()))));
        }
        case Part.ToolCall c -> {
          ObjectNode start = Json.object().put("contentBlockIndex", i);
          start.putObject("start").putObject("toolUse").put("toolUseId", c.id()).put("name", c.name());
          out.add(eventFrame("contentBlockStart", start));
          for (String piece : MockCohereServer.pieces(c.arguments())) {
            out.add(delta(i, Json.object().set("toolUse", Json.object().put("input", piece))));
          }
        }
        default -> { continue; }
      }
      out.add(eventFrame("contentBlockStop", Json.object().put("contentBlockIndex", i)));
    }
    out.add(eventFrame("messageStop", Json.object().put("stopReason", BedrockCodec.stopReason(r.finishReason))));
    ObjectNode metadata = Json.object();
    metadata.set("usage", BedrockCodec.usageNode(r.usage));
    metadata.putObject("metrics").put("latencyMs", 321);
    out.add(eventFrame("metadata", metadata));
    return out;
  }

  private static Buffer delta(int block, ObjectNode delta) {
    ObjectNode payload = Json.object().put("contentBlockIndex", block);
    payload.set("delta", delta);
    return eventFrame("contentBlockDelta", payload);
  }

  /** One event frame; like Bedrock, the payload carries a "p" padding field that readers must ignore. */
  public static Buffer eventFrame(String eventType, ObjectNode payload) {
    payload.put("p", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".substring(0, 1 + Math.floorMod(eventType.hashCode(), 30)));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return EventStream.encode(headers, Json.buffer(payload).getBytes());
  }

  /** A stream exception frame, e.g. {@code throttlingException}. */
  public static Buffer exceptionFrame(String exceptionType, String message) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", exceptionType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return EventStream.encode(headers, Json.buffer(Json.object().put("message", message)).getBytes());
  }

  private static JsonNode parse(String json) {
    try {
      return Json.parse(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("scripted tool arguments are not JSON: " + json, e);
    }
  }
}
