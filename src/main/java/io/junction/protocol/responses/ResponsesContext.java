package io.junction.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ChatRequest;
import io.junction.protocol.Tool;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a Responses request leaves for its answer ({@link ChatRequest#inboundContext}): the request
 * fields a Response object echoes, and which canonical tool names were custom or namespaced tools,
 * so that calls go back to the client as the item types it declared.
 */
public final class ResponsesContext {
  /** Request fields echoed in the Response object (instructions, tools, tool_choice, text, ...). */
  public final ObjectNode echo;
  final Set<String> customTools = new HashSet<>();
  /** Canonical name ({@code ns__name}) to {namespace, name}. */
  final Map<String, String[]> namespaced = new HashMap<>();

  ResponsesContext(ObjectNode echo) { this.echo = echo; }

  void register(Tool t) {
    if (t.custom()) customTools.add(t.name());
    if (t.namespace() != null) {
      namespaced.put(t.name(), new String[] {t.namespace(), t.name().substring(t.namespace().length() + Tool.NAMESPACE_SEPARATOR.length())});
    }
  }

  boolean isCustom(String name) { return customTools.contains(name); }

  /** {namespace, name} for a namespaced canonical name, else null. */
  String[] split(String name) { return namespaced.get(name); }

  /** The context of {@code req}, or one derived from its tools when it came from another protocol. */
  static ResponsesContext of(ChatRequest req) {
    if (req != null && req.inboundContext instanceof ResponsesContext c) return c;
    ResponsesContext c = new ResponsesContext(io.junction.protocol.Json.object());
    if (req != null) req.tools.forEach(c::register);
    return c;
  }
}
