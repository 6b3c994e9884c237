package io.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.openai.OpenAiCodec;
import io.junction.protocol.responses.ResponsesCodec;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one content walk under Chat Completions and the Responses API, and what each protocol makes of a part. */
class ContentPartsTest {
  static final String PNG_URL = "data:image/png;base64,iVBORw0KGgo=";

  static JsonNode json(String s) {
    try {
      return Json.parse(s.replace('\'', '"'));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<Part> chatUserParts(String content) {
    return OpenAiCodec.INSTANCE.decodeRequest(json("{'model':'m','messages':[{'role':'user','content':" + content + "}]}"), null)
        .messages.get(0).parts;
  }

  static List<Part> responsesUserParts(String content) {
    return ResponsesCodec.INSTANCE.decodeRequest(json("{'model':'m','input':[{'role':'user','content':" + content + "}]}"), null)
        .messages.get(0).parts;
  }

  static void refused(Runnable decode, String param, String message) {
    assertThatThrownBy(decode::run).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.param).isEqualTo(param);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  @Test
  void chatCompletionsContent() {
    assertThat(chatUserParts("'hi'")).containsExactly(new Part.Text("hi"));
    assertThat(chatUserParts("[{'type':'text','text':'a'},{'type':'refusal','refusal':'no'},"
        + "{'type':'image_url','image_url':{'url':'" + PNG_URL + "','detail':'low'}},{'type':'image_url','image_url':'https://x/i.png'}]"))
        .containsExactly(new Part.Text("a"), new Part.Text("no"), new Part.Image(null, "image/png", "iVBORw0KGgo=", "low"),
            Part.Image.ofUrl("https://x/i.png"));
    refused(() -> chatUserParts("7"), "messages[0].content", "'messages[0].content' must be a string or an array of content parts");
    refused(() -> chatUserParts("[1]"), "messages[0].content[0]", "'messages[0].content[0]' must be an object");
    refused(() -> chatUserParts("[{'type':'text'}]"), "messages[0].content[0].text", "'messages[0].content[0].text' is required");
    refused(() -> chatUserParts("[{'text':'a'}]"), "messages[0].content[0].type",
        "Unsupported content part type 'null' at 'messages[0].content[0]'");
    refused(() -> chatUserParts("[{'type':'input_audio'}]"), "messages[0].content[0].type",
        "Unsupported content part type 'input_audio' at 'messages[0].content[0]'");
    refused(() -> chatUserParts("[{'type':'image_url','image_url':{}}]"), "messages[0].content[0].image_url.url",
        "'messages[0].content[0].image_url.url' is required");
  }

  @Test
  void responsesContent() {
    assertThat(responsesUserParts("'hi'")).containsExactly(new Part.Text("hi"));
    assertThat(responsesUserParts("[{'type':'input_text','text':'a'},{'type':'refusal','refusal':'no'},"
        + "{'type':'input_image','image_url':'" + PNG_URL + "','detail':'auto'},{'type':'input_file','file_id':'f'},"
        + "{'type':'input_image','file_id':'f','detail':7},{'type':'input_image','image_url':'https://x/i.png','detail':'high'}]"))
        .containsExactly(new Part.Text("a"), new Part.Text("no"), Part.Image.ofBase64("image/png", "iVBORw0KGgo="),
            new Part.Image("https://x/i.png", null, null, "high"));
    refused(() -> responsesUserParts("7"), "input[0].content", "'input[0].content' must be a string or an array of content parts");
    refused(() -> responsesUserParts("[1]"), "input[0].content[0]", "'input[0].content[0]' must be an object");
    refused(() -> responsesUserParts("[{'type':'input_text'}]"), "input[0].content[0].text", "'input[0].content[0].text' is required");
    refused(() -> responsesUserParts("[{'text':'a'}]"), "input[0].content[0].type", "'input[0].content[0].type' is required");
  }
}
