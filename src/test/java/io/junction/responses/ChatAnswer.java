package io.junction.responses;

import io.junction.protocol.ChatResponse;
import io.junction.protocol.Part;
import io.junction.protocol.Usage;
import io.junction.testing.MockResponsesServer;

/** Scripted text answers for the Responses mock. */
final class ChatAnswer {
  private ChatAnswer() {}

  static void script(MockResponsesServer mock, String text) {
    ChatResponse r = new ChatResponse();
    r.id = "resp_upstream_" + Integer.toHexString(text.hashCode());
    r.content.add(new Part.Text(text));
    r.usage = new Usage(40, 6, 10, 0, 2);
    mock.answer(r);
  }
}
