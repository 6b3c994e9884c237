package io.junction.routing;

import io.junction.provider.Provider;

/** One provider that may serve a request, with the model name to send it. */
public record Candidate(Provider provider, String upstreamModel) {}
