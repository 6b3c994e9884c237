package io.junction.protocol;

/** The wire protocols Junction speaks, inbound (clients) or upstream (providers). */
public enum Protocol {
  OPENAI("openai"), RESPONSES("responses"), ANTHROPIC("anthropic"), GEMINI("gemini"), COHERE("cohere"), BEDROCK("bedrock"), ECHO("echo");

  public final String id;

  Protocol(String id) { this.id = id; }
}
