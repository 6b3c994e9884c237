package io.junction.provider;

import io.junction.protocol.ChatRequest;
import io.junction.protocol.ChatResponse;
import io.junction.protocol.StreamEvent;
import java.util.List;

/** A provider answered in-process, without HTTP (the built-in echo provider). */
public interface LocalProvider {

  ChatResponse respond(ChatRequest request, String model);

  List<StreamEvent> stream(ChatRequest request, String model);
}
