package io.junction.pipeline;

import io.junction.routing.RouteQuery;
import io.vertx.core.Future;

/**
 * Decides who may serve the call: the route plan (candidates in order, strategies, dispatch modes),
 * 404 when nobody serves the model. The plan is closed when the call is over, whatever happened.
 */
final class Routing implements Stage {
  private final Gateway gw;

  Routing(Gateway gw) { this.gw = gw; }

  @Override
  public Future<Outcome> handle(Call call, Chain chain) {
    call.plan = gw.resolver().plan(new RouteQuery(call.model(), call.user(), call.stream()));
    return chain.proceed(call).andThen(ar -> call.plan.close());
  }
}
