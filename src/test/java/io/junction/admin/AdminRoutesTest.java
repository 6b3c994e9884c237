package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminRoutesTest {
  @Test
  void baseUrlsLoseTheirCredentials() {
    assertThat(AdminRoutes.withoutUserInfo("https://user:s3cret@llm.internal:8443/v1?tenant=a"))
        .isEqualTo("https://llm.internal:8443/v1?tenant=a");
    assertThat(AdminRoutes.withoutUserInfo("http://127.0.0.1:11434/v1")).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(AdminRoutes.withoutUserInfo("local://echo")).isEqualTo("local://echo");
  }
}
