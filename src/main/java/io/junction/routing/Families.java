package io.junction.routing;

/** Model-name families (CONTRACT §3.3): which provider kind a bare model name belongs to. */
public final class Families {
  private Families() {}

  public static String of(String model) {
    if (model.startsWith("text-embedding-004")) return "gemini";
    if (model.startsWith("gpt-") || model.startsWith("o1") || model.startsWith("o3") || model.startsWith("o4")
        || model.startsWith("chatgpt-") || model.startsWith("text-embedding-")) return "openai";
    if (model.startsWith("claude-")) return "anthropic";
    if (model.startsWith("gemini-")) return "gemini";
    if (model.startsWith("command-")) return "cohere";
    if (model.startsWith("mistral-") || model.startsWith("codestral-")) return "mistral";
    return null;
  }
}
