package io.junction.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key: blind to key order and whitespace, sensitive to everything else. */
class CacheKeyTest {
  private static String key(String body, String... parts) {
    var parsed = CacheKey.parse(body.getBytes(StandardCharsets.UTF_8));
    return parsed == null ? null : CacheKey.of(List.of(parts), parsed);
  }

  @Test
  void keyOrderAndWhitespaceDoNotMatter() {
    assertThat(key("{\"a\":1,\"b\":{\"y\":[1,2],\"x\":true}}", "k"))
        .isEqualTo(key("{ \"b\" : { \"x\" : true , \"y\" : [ 1 , 2 ] } ,\n \"a\" : 1 }", "k"));
  }

  @Test
  void valuesArrayOrderNumbersAndPartsDo() {
    String base = key("{\"a\":[1,2],\"t\":0.1}", "k", "m");
    assertThat(key("{\"a\":[2,1],\"t\":0.1}", "k", "m")).isNotEqualTo(base);
    assertThat(key("{\"a\":[1,2],\"t\":0.10000000000000001}", "k", "m")).isNotEqualTo(base); // the same double, another number
    assertThat(key("{\"a\":[1,2],\"t\":0.1}", "k2", "m")).isNotEqualTo(base);
    assertThat(key("{\"a\":[1,2],\"t\":0.1}", "km", "")).isNotEqualTo(key("{\"a\":[1,2],\"t\":0.1}", "k", "m"));
  }

  @Test
  void bodiesThatAreNotOneObjectOrRepeatAKeyAreNotCacheable() {
    assertThat(key("[1]")).isNull();
    assertThat(key("{\"a\":1} {}")).isNull();
    assertThat(key("{\"a\":1,\"a\":2}")).isNull();
    assertThat(key("{\"a\":")).isNull();
  }
}
