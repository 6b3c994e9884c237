package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyPoolTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final KeyPool pool = new KeyPool(List.of("a", "b", "c"), now::get);

  private List<Integer> take(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(pool.next());
    return out;
  }

  @Test
  void rotatesThroughKeys() {
    assertThat(take(4)).containsExactly(0, 1, 2, 0);
  }

  @Test
  void coolingKeyIsSkippedUntilItsTime() {
    pool.coolDown(1, now.get() + 5_000);
    assertThat(take(4)).doesNotContain(1);
    assertThat(pool.states().get(1).state()).isEqualTo("cooling");
    assertThat(pool.soonestCooldownEnd()).isEqualTo(now.get() + 5_000);
    now.addAndGet(5_000);
    assertThat(take(3)).contains(1);
    assertThat(pool.states().get(1).state()).isEqualTo("active");
  }

  @Test
  void revokedKeyIsSkippedForGood() {
    pool.revoke(0);
    now.addAndGet(365L * 24 * 3600 * 1000);
    assertThat(take(6)).doesNotContain(0);
    assertThat(pool.states()).extracting(KeyPool.KeyState::state).containsExactly("revoked", "active", "active");
  }

  @Test
  void noUsableKeyWhenAllAreOut() {
    pool.revoke(0);
    pool.coolDown(1, now.get() + 1_000);
    pool.coolDown(2, now.get() + 2_000);
    assertThat(pool.usable()).isFalse();
    assertThat(pool.next()).isEqualTo(KeyPool.NONE_USABLE);
    assertThat(pool.allRevoked()).isFalse();
    assertThat(pool.soonestCooldownEnd()).isEqualTo(now.get() + 1_000);
  }

  @Test
  void keylessPoolIsAlwaysUsable() {
    KeyPool none = new KeyPool(List.of(), now::get);
    assertThat(none.next()).isEqualTo(KeyPool.KEYLESS);
    assertThat(none.usable()).isTrue();
    assertThat(none.allRevoked()).isFalse();
  }
}
