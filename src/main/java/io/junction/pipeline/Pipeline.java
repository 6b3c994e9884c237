package io.junction.pipeline;

import io.junction.protocol.GatewayException;
import io.vertx.core.Future;
import java.util.List;

/**
 * The request path: an ordered list of stages, each handed the rest as its {@link Stage.Chain}.
 * A stage that throws a {@link GatewayException} has the call rejected with it, so stages can
 * validate by throwing; anything else thrown is a bug and answers 500.
 */
public final class Pipeline {
  private final List<Stage> stages;

  public Pipeline(List<Stage> stages) { this.stages = List.copyOf(stages); }

  /**
   * The standard request path: accounting (sees every outcome, rejections included) →
   * authentication → the body's head → admission → routing → the response cache (when configured)
   * → the attempts.
   */
  public static Pipeline standard(Gateway gw) { return standard(gw, List.of()); }

  /** The standard path with {@code afterHead} between reading the head and admission (the Responses API's state). */
  public static Pipeline standard(Gateway gw, List<Stage> afterHead) {
    List<Stage> stages = new java.util.ArrayList<>(List.of(new Accounting(gw), new Authentication(gw), new HeadReading()));
    stages.addAll(afterHead);
    stages.addAll(List.of(new Admission(gw), new Routing(gw)));
    if (gw.cache() != null) stages.add(new Caching(gw, gw.cache()));
    stages.add(new AttemptLoop(gw));
    return new Pipeline(stages);
  }

  /** Runs {@code call} through every stage; completes when the client's answer is finished. */
  public Future<Outcome> run(Call call) {
    call.start();
    return proceed(call, 0);
  }

  private Future<Outcome> proceed(Call call, int index) {
    if (index == stages.size()) throw new IllegalStateException("the last stage must answer the call");
    Stage stage = stages.get(index);
    try {
      return stage.handle(call, c -> proceed(c, index + 1)).recover(err -> Future.succeededFuture(call.reject(err)));
    } catch (RuntimeException e) {
      return Future.succeededFuture(call.reject(e));
    }
  }

  public List<Stage> stages() { return stages; }
}
