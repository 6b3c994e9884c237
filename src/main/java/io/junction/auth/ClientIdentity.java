package io.junction.auth;

import java.util.List;

/**
 * Who is calling: the master key, a virtual key, or anyone (no master key configured).
 * {@code allowedModels} empty means every model.
 */
public record ClientIdentity(String keyId, String name, boolean master, List<String> allowedModels) {
  public static final ClientIdentity ANONYMOUS = new ClientIdentity(null, "anonymous", true, List.of());
  public static final ClientIdentity MASTER = new ClientIdentity("master", "master", true, List.of());
}
