package io.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

  @Test
  void countsTextWithTheO200kTokenizer() {
    assertThat(TokenEstimator.count("hello world")).isEqualTo(2);
    assertThat(TokenEstimator.count("")).isZero();
    assertThat(TokenEstimator.count(null)).isZero();
    assertThat(TokenEstimator.count("<|endoftext|>")).as("special tokens count as text, no exception").isGreaterThan(1);
  }

  @Test
  void inputEstimateAddsMessagesToolsImagesAndOverheads() {
    ChatRequest req = new ChatRequest();
    req.messages.add(Message.of(Role.USER, new Part.Text("hello world")));
    int oneMessage = TokenEstimator.estimateInput(req);
    assertThat(oneMessage).isEqualTo(TokenEstimator.PER_REQUEST + TokenEstimator.PER_MESSAGE + 2);

    req.system.add(new Part.Text("hello world"));
    req.messages.add(Message.of(Role.USER, Part.Image.ofUrl("https://x/y.png")));
    int withSystemAndImage = TokenEstimator.estimateInput(req);
    assertThat(withSystemAndImage - oneMessage).isEqualTo(2 * TokenEstimator.PER_MESSAGE + 2 + TokenEstimator.PER_IMAGE);

    req.tools.add(new Tool("get_weather", "Weather for a city", Json.object().put("type", "object")));
    req.messages.add(Message.of(Role.ASSISTANT, new Part.ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}")));
    req.messages.add(Message.of(Role.TOOL, new Part.ToolResult("c1", "get_weather", List.of(new Part.Text("18C")), false)));
    assertThat(TokenEstimator.estimateInput(req) - withSystemAndImage)
        .isEqualTo(TokenEstimator.PER_TOOL + TokenEstimator.count("get_weather") * 3 + TokenEstimator.count("Weather for a city")
            + TokenEstimator.count("{\"type\":\"object\"}") + TokenEstimator.count("{\"city\":\"Paris\"}")
            + TokenEstimator.count("18C") + 2 * TokenEstimator.PER_MESSAGE);
  }

  @Test
  void outputEstimateCountsTextThinkingAndToolCalls() {
    ChatResponse r = new ChatResponse();
    r.content.add(new Part.Thinking("hello world", "sig", null));
    r.content.add(new Part.Text("hello world"));
    r.content.add(new Part.ToolCall("c", "f", "{}"));
    assertThat(TokenEstimator.estimateOutput(r)).isEqualTo(4 + TokenEstimator.count("f") + TokenEstimator.count("{}"));
  }
}
