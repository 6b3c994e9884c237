package io.junction.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.responses.ResponseIds;
import io.junction.store.ResponseStore;
import io.junction.store.ResponseStore.StoredResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation state of the Responses API (CONTRACT §7): expands {@code previous_response_id}
 * into the earlier turns before a request is routed, and stores each answered response with the
 * input items it was made from. A stateless request ({@code store: false} and no
 * {@code previous_response_id}, as Codex sends every turn) never touches the store.
 */
public final class ResponsesState {
  private static final Logger LOG = LoggerFactory.getLogger(ResponsesState.class);

  /** Who may see a response: the creator's key id ({@code ""} without a master key), or every key. */
  public record Viewer(String owner, boolean master) {}

  /**
   * A request ready to route: its body (with earlier turns spliced in), and for a stored request
   * the whole input the model sees, to be stored with the answer.
   */
  public record Prepared(ObjectNode body, boolean store, String owner, String previousId, ArrayNode inputItems) {
    public boolean stateless() { return !store && previousId == null; }
  }

  private final ResponseStore store;
  private final int retentionDays;
  private final Clock clock;

  public ResponsesState(ResponseStore store, int retentionDays, Clock clock) {
    this.store = store;
    this.retentionDays = retentionDays;
    this.clock = clock;
  }

  /** Reads the state fields of {@code body} and, for a continuation, loads and splices the earlier turns. */
  public Future<Prepared> prepare(ObjectNode body, Viewer viewer, Context context) {
    JsonNode storeField = body.get("store");
    if (storeField != null && !storeField.isNull() && !storeField.isBoolean()) throw GatewayException.invalid("store", "'store' must be a boolean");
    boolean keep = storeField == null || storeField.isNull() || storeField.asBoolean();
    JsonNode prev = body.get("previous_response_id");
    if (prev != null && !prev.isNull() && !prev.isTextual()) {
      throw GatewayException.invalid("previous_response_id", "'previous_response_id' must be a string");
    }
    String previousId = prev == null || prev.isNull() ? null : prev.asText();
    if (!keep && previousId == null) return Future.succeededFuture(new Prepared(body, false, viewer.owner(), null, null));
    ArrayNode input = inputItems(body.get("input"));
    if (previousId == null) return Future.succeededFuture(new Prepared(body, true, viewer.owner(), null, input));
    return Future.fromCompletionStage(store.find(previousId, cutoff()), context).map(found -> {
      StoredResponse earlier = visible(found, viewer).orElseThrow(() -> previousNotFound(previousId));
      ArrayNode all = history(earlier);
      all.addAll(input);
      ObjectNode expanded = body.deepCopy();
      expanded.remove("previous_response_id");
      expanded.set("input", withoutIds(all));
      return new Prepared(expanded, keep, viewer.owner(), previousId, all);
    });
  }

  /** Stores the answer of a prepared request (nothing for a stateless one or when there is no answer). */
  public Future<Void> save(Prepared p, ObjectNode response, Context context) {
    if (!p.store() || response == null || !response.hasNonNull("id")) return Future.succeededFuture();
    ObjectNode stored = response.deepCopy();
    if (p.previousId() != null) stored.put("previous_response_id", p.previousId());
    StoredResponse row = new StoredResponse(stored.get("id").asText(), p.owner(), clock.millis(),
        stored.path("model").asText(null), Json.text(withIds(p.inputItems())), Json.text(stored));
    return Future.fromCompletionStage(store.save(row), context).recover(err -> {
      // The answer still goes out: a client without state beats one without its answer.
      LOG.warn("could not store response {}: {}", row.id(), err.toString());
      return Future.succeededFuture();
    });
  }

  public Future<Optional<StoredResponse>> get(String id, Viewer viewer, Context context) {
    return Future.fromCompletionStage(store.find(id, cutoff()), context).map(found -> visible(found, viewer));
  }

  /** Deletes a response the viewer may see; completes with whether it did. */
  public Future<Boolean> delete(String id, Viewer viewer, Context context) {
    return get(id, viewer, context).compose(found -> found.isEmpty() ? Future.succeededFuture(false)
        : Future.fromCompletionStage(store.delete(id), context));
  }

  /** Deletes responses past retention now; completes with how many went. */
  public java.util.concurrent.CompletableFuture<Integer> pruneNow() {
    if (retentionDays == 0) return java.util.concurrent.CompletableFuture.completedFuture(0);
    return store.deleteOlderThan(cutoff());
  }

  public int retentionDays() { return retentionDays; }

  private long cutoff() { return retentionDays == 0 ? 0 : clock.millis() - Duration.ofDays(retentionDays).toMillis(); }

  private static Optional<StoredResponse> visible(Optional<StoredResponse> r, Viewer viewer) {
    return r.filter(s -> viewer.master() || s.owner().equals(viewer.owner()));
  }

  static GatewayException previousNotFound(String id) {
    return new GatewayException(ErrorKind.INVALID_REQUEST, 400, "previous_response_not_found", "previous_response_id",
        "Previous response with id '" + id + "' not found.");
  }

  /** The earlier turns: the stored input items, then the stored response's output items. */
  private static ArrayNode history(StoredResponse r) {
    try {
      ArrayNode all = (ArrayNode) Json.parse(r.inputItems());
      for (JsonNode item : Json.parse(r.response()).path("output")) {
        // Reasoning the upstream cannot verify (no encrypted content) is not sent back.
        if ("reasoning".equals(item.path("type").asText()) && !item.path("encrypted_content").isTextual()) continue;
        all.add(item);
      }
      return all;
    } catch (IOException | ClassCastException e) {
      throw new GatewayException(ErrorKind.API_ERROR, 500, "internal_error", null, "Stored response " + r.id() + " is unreadable");
    }
  }

  /** The request's input as a list of items (a plain string is one user message). */
  static ArrayNode inputItems(JsonNode input) {
    ArrayNode items = Json.array();
    if (input == null || input.isNull()) return items;
    if (input.isTextual()) {
      ObjectNode m = items.addObject().put("type", "message").put("role", "user");
      m.putArray("content").addObject().put("type", "input_text").put("text", input.asText());
    } else if (input.isArray()) {
      input.forEach(i -> items.add(i.deepCopy()));
    } else {
      throw GatewayException.invalid("input", "'input' must be a string or an array of input items");
    }
    return items;
  }

  /** Items as the input_items list shows them: each with an id. */
  private static ArrayNode withIds(ArrayNode items) {
    ArrayNode out = Json.array();
    for (JsonNode i : items) {
      ObjectNode o = i.isObject() ? ((ObjectNode) i).deepCopy() : Json.object();
      if (!o.hasNonNull("id")) {
        String type = o.path("type").asText("message");
        o.put("id", ResponseIds.next(switch (type) {
          case "function_call_output" -> "fco";
          case "custom_tool_call_output" -> "ctco";
          case "function_call" -> "fc";
          default -> "msg";
        }));
      }
      if (!o.has("type") && o.has("role")) o.put("type", "message");
      out.add(o);
    }
    return out;
  }

  /**
   * Earlier turns as sent upstream: ids of the gateway's own making are not the upstream's, so only
   * the upstream's own ids of reasoning items (which carry encrypted content) stay.
   */
  private static ArrayNode withoutIds(ArrayNode items) {
    ArrayNode out = Json.array();
    for (JsonNode i : items) {
      ObjectNode o = ((ObjectNode) i).deepCopy();
      if (!"reasoning".equals(o.path("type").asText())) o.remove("id");
      o.remove("status");
      out.add(o);
    }
    return out;
  }
}
