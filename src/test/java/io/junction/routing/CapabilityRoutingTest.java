package io.junction.routing;

import static io.junction.routing.Providers.names;
import static io.junction.routing.Providers.openai;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.config.VirtualModelConfig;
import io.junction.protocol.GatewayException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing skips candidates whose model the catalog says cannot take the request's images or tools. */
class CapabilityRoutingTest {
  private static final List<String> KEY = List.of("k");

  private static ModelResolver resolver(List<VirtualModelConfig> vms, Providers... ps) {
    return new ModelResolver(Providers.registry(vms, ps), io.junction.provider.Presets::familyOf);
  }

  private static final VirtualModelConfig SMART = new VirtualModelConfig("smart", "fallback", List.of(
      new VirtualModelConfig.Target("a", "gpt-3.5-turbo", 1),     // tools, no images
      new VirtualModelConfig.Target("b", "gpt-5-chat-latest", 1), // images, no tools
      new VirtualModelConfig.Target("c", "gpt-4o", 1)), null);    // both

  private final ModelResolver r = resolver(List.of(SMART),
      openai("a", "http://a", KEY), openai("b", "http://b", KEY), openai("c", "http://c", KEY));

  @Test
  void plainRequestsKeepEveryCandidate() {
    assertThat(names(r.resolve(new RouteQuery("smart", null, false)))).containsExactly("a", "b", "c");
  }

  @Test
  void imagesSkipModelsWithoutVisionAndToolsSkipModelsWithoutTools() {
    assertThat(names(r.resolve(new RouteQuery("smart", null, false, true, false)))).containsExactly("b", "c");
    assertThat(names(r.resolve(new RouteQuery("smart", null, false, false, true)))).containsExactly("a", "c");
    assertThat(names(r.resolve(new RouteQuery("smart", null, false, true, true)))).containsExactly("c");
  }

  @Test
  void modelsTheCatalogDoesNotKnowAreKept() {
    ModelResolver own = resolver(List.of(), openai("local", "http://l", KEY, "my-finetune"));
    assertThat(names(own.resolve(new RouteQuery("my-finetune", null, false, true, true)))).containsExactly("local");
  }

  @Test
  void whenNoCandidateCanTakeItTheRequestIsAClear400() {
    assertThatThrownBy(() -> r.resolve(new RouteQuery("a/gpt-3.5-turbo", null, false, true, false)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.status).isEqualTo(400);
          assertThat(e.getMessage()).contains("a/gpt-3.5-turbo takes no images");
        });
  }
}
