package io.junction.protocol;

/** Why generation stopped, mapped to and from each protocol's own vocabulary by its codec. */
public enum FinishReason { STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER, STOP_SEQUENCE, ERROR, OTHER }
