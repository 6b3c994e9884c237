package io.junction.routing;

import static io.junction.routing.Providers.openai;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.DispatchMode;
import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import io.junction.provider.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attempt sequence a plan produces for given failures, and what it tells breakers and key pools. */
class RoutePlanTest {
  static final RetryPolicy POLICY = new RetryPolicy(100, 2_000, 10_000, 0, 30_000);

  ProviderRegistry registry;
  HealthRegistry health;

  private RoutePlan plan(RetryPolicy policy, Providers... ps) {
    registry = Providers.registry(List.of(), ps);
    health = new HealthRegistry(registry);
    ModelResolver r = new ModelResolver(registry, io.junction.provider.Presets::familyOf, health, new LatencyTracker(), PriceLookup.UNKNOWN, policy);
    return r.plan(RouteQuery.of("m"));
  }

  private static Failure status(int status) {
    return new Failure(new GatewayException(ErrorKind.forStatus(status), status, "upstream_error", null, "HTTP " + status), status, Failure.Kind.STATUS, 0);
  }

  private static Failure rateLimited(long retryAfterMs) {
    return new Failure(new GatewayException(ErrorKind.RATE_LIMIT, 429, "upstream_error", null, "slow down"), 429, Failure.Kind.STATUS, retryAfterMs);
  }

  private static Failure refused() {
    return new Failure(new GatewayException(ErrorKind.BAD_GATEWAY, 502, "upstream_unreachable", null, "refused"), 0, Failure.Kind.CONNECT, 0);
  }

  /** Runs the plan, failing every attempt with {@code failure}; returns "provider#key" per attempt. */
  private static List<String> runFailing(RoutePlan plan, Failure failure) {
    List<String> seq = new ArrayList<>();
    Failure last = null;
    for (Attempt a; (a = plan.next(last)) != null; ) {
      seq.add(a.candidate().provider().name() + "#" + a.keyIndex());
      plan.failed(a, failure);
      last = failure;
    }
    return seq;
  }

  @Test
  void retriesEachCandidateThenMovesOnWithNextKeys() {
    RoutePlan p = plan(POLICY, openai("a", "http://a", List.of("k0", "k1"), "m").retries(2),
        openai("b", "http://b", List.of("k"), "m").retries(0).dispatch(DispatchMode.FALLBACK));
    assertThat(runFailing(p, status(500))).containsExactly("a#0", "a#1", "a#0", "b#0");
  }

  @Test
  void backoffOnlyBetweenTriesOfTheSameProvider() {
    RoutePlan p = plan(POLICY, openai("a", "http://a", List.of("k"), "m").retries(3),
        openai("b", "http://b", List.of("k"), "m").dispatch(DispatchMode.FALLBACK));
    List<Long> delays = new ArrayList<>();
    Failure last = null;
    for (Attempt a; (a = p.next(last)) != null; last = refused()) delays.add(a.delayMs());
    assertThat(delays).hasSize(7);
    assertThat(delays.get(0)).isZero();
    assertThat(delays.get(1)).isBetween(0L, 100L);
    assertThat(delays.get(2)).isBetween(0L, 200L);
    assertThat(delays.get(3)).isBetween(0L, 400L);
    assertThat(delays.get(4)).as("first try of the next provider").isZero();
  }

  @Test
  void clientErrorsAreNotRetried() {
    RoutePlan p = plan(POLICY, openai("a", "http://a", List.of("k"), "m"));
    assertThat(runFailing(p, status(400))).containsExactly("a#0");
    assertThat(health.breaker(Providers.provider(registry, "a"), "m").state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void refusedKeyIsRevokedAndTheNextKeyTriedWithoutUsingARetry() {
    RoutePlan p = plan(POLICY, openai("a", "http://a", List.of("k0", "k1", "k2"), "m").retries(0),
        openai("b", "http://b", List.of("k"), "m").retries(0).dispatch(DispatchMode.FALLBACK));
    assertThat(runFailing(p, status(401))).containsExactly("a#0", "a#1", "a#2", "b#0");
    assertThat(Providers.provider(registry, "a").keys.allRevoked()).isTrue();
    assertThat(p.exhausted(status(401)).status).isEqualTo(401);
  }

  @Test
  void retryAfterWithinCapIsWaitedAboveCapMovesOn() {
    RoutePlan p = plan(POLICY, openai("a", "http://a", List.of("k"), "m"), openai("b", "http://b", List.of("k"), "m").dispatch(DispatchMode.FALLBACK));
    Attempt first = p.next(null);
    p.failed(first, rateLimited(3_000));
    Attempt second = p.next(rateLimited(3_000));
    assertThat(second.candidate().provider().name()).isEqualTo("a");
    assertThat(second.delayMs()).isEqualTo(3_000);
    p.failed(second, rateLimited(60_000));
    Attempt third = p.next(rateLimited(60_000));
    assertThat(third.candidate().provider().name()).isEqualTo("b");
    assertThat(third.delayMs()).isZero();
  }

  @Test
  void rateLimitedKeyCoolsDownAndTheNextKeyGoesWithoutWaiting() {
    RoutePlan p = plan(POLICY, openai("a", "http://a", List.of("k0", "k1"), "m"));
    Attempt first = p.next(null);
    p.failed(first, rateLimited(60_000));
    Attempt second = p.next(rateLimited(60_000));
    assertThat(second.keyIndex()).isEqualTo(1);
    assertThat(second.delayMs()).isLessThanOrEqualTo(100);
    assertThat(Providers.provider(registry, "a").keys.states().get(0).state()).isEqualTo("cooling");
    p.failed(second, rateLimited(60_000));
    assertThat(p.next(rateLimited(60_000))).as("every key cooling: the provider is unavailable").isNull();
    RoutePlan fresh = new ModelResolver(registry, io.junction.provider.Presets::familyOf, health, new LatencyTracker(), PriceLookup.UNKNOWN, POLICY).plan(RouteQuery.of("m"));
    assertThat(fresh.next(null)).isNull();
    GatewayException e = fresh.exhausted(null);
    assertThat(e.status).isEqualTo(503);
    assertThat(e.retryAfterSeconds).isBetween(59L, 60L);
  }

  @Test
  void openBreakerSendsTrafficToTheFallbackProvider() {
    RoutePlan p = plan(POLICY, openai("a", "http://a", List.of("k"), "m").retries(0),
        openai("b", "http://b", List.of("k"), "m").dispatch(DispatchMode.FALLBACK));
    CircuitBreaker a = health.breaker(Providers.provider(registry, "a"), "m");
    for (int i = 0; i < 5; i++) a.onFailure();
    Attempt first = p.next(null);
    assertThat(first.candidate().provider().name()).isEqualTo("b");
    assertThat(health.available(first.candidate())).isTrue();
  }

  @Test
  void failuresTripTheBreakerAcrossRequests() {
    Providers a = openai("a", "http://a", List.of("k"), "m").retries(0);
    RoutePlan p = plan(POLICY, a);
    for (int i = 0; i < 5; i++) {
      RoutePlan each = new ModelResolver(registry, io.junction.provider.Presets::familyOf, health, new LatencyTracker(), PriceLookup.UNKNOWN, POLICY).plan(RouteQuery.of("m"));
      assertThat(runFailing(each, status(503))).hasSize(1);
    }
    assertThat(p.next(null)).isNull();
    assertThat(p.exhausted(null).code).isEqualTo("provider_unavailable");
    assertThat(health.status(Providers.provider(registry, "a"))).isEqualTo(HealthRegistry.Status.UNHEALTHY);
  }

  @Test
  void noNewAttemptAfterTheDeadline() throws InterruptedException {
    RoutePlan p = plan(new RetryPolicy(0, 0, 10_000, 50, 30_000), openai("a", "http://a", List.of("k"), "m").retries(5));
    p.next(null);
    Thread.sleep(60);
    assertThat(p.next(refused())).isNull();
  }
}
