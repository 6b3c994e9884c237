package io.junction.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.config.GatewayConfig;
import io.junction.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory store: time to live on a clock the test moves, least-recently-used eviction, the entry-size limit. */
class MemoryCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private static CachedAnswer answer(String text) {
    return new CachedAnswer("openai", "gpt-4o", "application/json", false, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(CachedAnswer a) { return a == null ? null : new String(a.body(), StandardCharsets.UTF_8); }

  private String get(MemoryCache c, String key) { return text(c.get(key).result()); }

  @Test
  void anEntryIsServedUntilItsTimeIsUp() {
    MemoryCache c = new MemoryCache(new GatewayConfig.Cache(60, 10, 1024), clock);
    c.put("k", answer("a"));
    clock.advanceMillis(59_999);
    assertThat(get(c, "k")).isEqualTo("a");
    clock.advanceMillis(1);
    assertThat(get(c, "k")).isNull();
    assertThat(c.size()).isZero(); // an expired entry read is dropped at once
  }

  @Test
  void theLeastRecentlyUsedEntryGoesPastMaxEntries() {
    MemoryCache c = new MemoryCache(new GatewayConfig.Cache(60, 2, 1024), clock);
    c.put("a", answer("1"));
    c.put("b", answer("2"));
    assertThat(get(c, "a")).isEqualTo("1"); // a is now younger than b
    c.put("c", answer("3"));
    assertThat(c.size()).isEqualTo(2);
    assertThat(get(c, "b")).isNull();
    assertThat(get(c, "a")).isEqualTo("1");
    assertThat(get(c, "c")).isEqualTo("3");
  }

  @Test
  void anAnswerOverTheEntryLimitIsNotStored() {
    MemoryCache c = new MemoryCache(new GatewayConfig.Cache(60, 2, 4), clock);
    c.put("small", answer("1234"));
    c.put("big", answer("12345"));
    assertThat(get(c, "small")).isEqualTo("1234");
    assertThat(get(c, "big")).isNull();
  }

  @Test
  void theRedisEnvelopeReadsBackAndRefusesAnotherVersion() {
    CachedAnswer a = new CachedAnswer("claude", null, "text/event-stream", true, "data: x\n\n".getBytes(StandardCharsets.UTF_8));
    CachedAnswer back = CachedAnswer.decode(a.encode());
    assertThat(back.provider()).isEqualTo("claude");
    assertThat(back.model()).isNull();
    assertThat(back.contentType()).isEqualTo("text/event-stream");
    assertThat(back.streamed()).isTrue();
    assertThat(back.body()).isEqualTo(a.body());
    byte[] other = a.encode();
    other[0] = 2;
    assertThat(CachedAnswer.decode(other)).isNull();
    assertThat(CachedAnswer.decode(new byte[] {1, 0})).isNull();
  }
}
