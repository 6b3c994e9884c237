package io.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.routing.CircuitBreaker.State;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final CircuitBreaker breaker = new CircuitBreaker(5, 30_000, now::get);

  private void fail(int n) { for (int i = 0; i < n; i++) breaker.onFailure(); }

  @Test
  void opensAfterConsecutiveFailuresOnly() {
    fail(4);
    breaker.onSuccess(); // a success in between resets the count
    fail(4);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.retryAt()).isEqualTo(now.get() + 30_000);
  }

  @Test
  void halfOpenLetsOneProbeThroughAndItsSuccessCloses() {
    fail(5);
    now.addAndGet(30_000);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).as("second caller while the probe is out").isFalse();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void failedProbeOpensAgainForAnotherCooldown() {
    fail(5);
    now.addAndGet(30_000);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    now.addAndGet(29_999);
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(1);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void releasedProbeFreesTheSlot() {
    fail(5);
    now.addAndGet(30_000);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.release(); // the probe's client went away: no verdict
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void opensOnErrorRateOverAFullWindow() {
    for (int i = 0; i < CircuitBreaker.WINDOW; i++) {
      if (i % 2 == 0) breaker.onSuccess();
      else breaker.onFailure();
    }
    assertThat(breaker.state()).as("exactly half failed").isEqualTo(State.CLOSED);
    breaker.onFailure(); // replaces a success: 11 of the last 20 failed
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void zeroThresholdNeverOpens() {
    CircuitBreaker off = new CircuitBreaker(0, 30_000, now::get);
    for (int i = 0; i < 100; i++) off.onFailure();
    assertThat(off.state()).isEqualTo(State.CLOSED);
    assertThat(off.tryAcquire()).isTrue();
  }
}
