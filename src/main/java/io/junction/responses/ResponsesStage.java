package io.junction.responses;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.auth.ClientIdentity;
import io.junction.pipeline.Call;
import io.junction.pipeline.Outcome;
import io.junction.pipeline.Stage;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.Protocol;
import io.junction.protocol.responses.ResponseCapture;
import io.junction.protocol.responses.ResponsesCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;

/**
 * The Responses API's state, as a stage before admission and routing: a request continuing
 * {@code previous_response_id} gets the earlier turns spliced into its body (400
 * {@code previous_response_not_found} when there is no such response for this key), and a stored
 * request's answer is saved before its terminal event goes out ({@link Call#beforeEnd}). A
 * stateless request ({@code store: false}, no {@code previous_response_id}) is passed on after one
 * shallow scan of its body, without a parse or a store access.
 */
public final class ResponsesStage implements Stage {
  private final ResponsesState state;

  public ResponsesStage(ResponsesState state) { this.state = state; }

  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    if (call.inbound.protocol() != Protocol.RESPONSES || call.operation != Call.Operation.CHAT) return chain.proceed(call);
    if (stateless(call.body)) return chain.proceed(call);
    ObjectNode body;
    try {
      body = (ObjectNode) Json.parse(io.vertx.core.buffer.Buffer.buffer(call.body));
    } catch (IOException | ClassCastException e) {
      throw GatewayException.invalid(null, "Request body must be a JSON object");
    }
    Context context = Vertx.currentContext();
    return state.prepare(body, viewer(call.identity()), context).compose(p -> {
      if (p.body() != body) call.replaceBody(Json.buffer(p.body()).getBytes());
      ResponseCapture capture = call.inbound instanceof ResponsesCodec rc ? rc.capture() : null;
      if (capture != null && p.previousId() != null) capture.continues(p.previousId());
      if (p.store() && capture != null) {
        capture.want();
        call.beforeEnd(() -> state.save(p, capture.response(), context));
      }
      return chain.proceed(call);
    });
  }

  public static ResponsesState.Viewer viewer(ClientIdentity who) {
    return new ResponsesState.Viewer(who == null || who.keyId() == null ? "" : who.keyId(), who == null || who.master());
  }

  /** Whether the body says {@code "store": false} and names no {@code previous_response_id}: one pass of its top level. */
  static boolean stateless(byte[] body) {
    boolean store = true;
    boolean previous = false;
    try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if ("store".equals(name)) store = v != JsonToken.VALUE_FALSE;
        else if ("previous_response_id".equals(name)) previous = v != JsonToken.VALUE_NULL;
        else p.skipChildren();
      }
    } catch (IOException e) {
      return false; // the full parse reports it
    }
    return !store && !previous;
  }
}
