package io.junction.pipeline;

import io.junction.protocol.GatewayException;
import io.vertx.core.Future;

/**
 * Reads what routing needs from the body — model, stream, user, include_usage, output cap — in one
 * shallow streaming pass ({@link RequestHead}); the rest of the body stays bytes. Malformed JSON and
 * a missing model are refused here, in the client's protocol.
 */
final class HeadReading implements Stage {
  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    call.head = RequestHead.read(call.body);
    String model = call.model();
    if (model == null || model.isBlank()) throw GatewayException.invalid("model", "'model' is required");
    return chain.proceed(call);
  }
}
