package io.junction.protocol;

/** Conversation roles. System and developer prompts live in {@link ChatRequest#system}, not here. */
public enum Role { USER, ASSISTANT, TOOL }
