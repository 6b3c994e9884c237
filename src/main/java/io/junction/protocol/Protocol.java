package io.junction.protocol;

/** The wire protocols Junction speaks, inbound (clients) or upstream (providers). */
public enum Protocol {
  OPENAI("openai", true), ANTHROPIC("anthropic", true), GEMINI("gemini", false), COHERE("cohere", true), BEDROCK("bedrock", false);

  public final String id;
  /** Whether requests name the model in the body (else in the URL, as Gemini and Bedrock do). */
  public final boolean modelInBody;

  Protocol(String id, boolean modelInBody) {
    this.id = id;
    this.modelInBody = modelInBody;
  }
}
