package io.junction.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.store.VirtualKey;

/** A newly created key with its secret: the only time the secret exists outside the client. */
public record CreatedKey(VirtualKey key, String secret, ObjectNode view) {
  /** The key's usual JSON plus {@code "key": secret}. */
  public ObjectNode toJson() {
    ObjectNode n = view.deepCopy();
    n.put("key", secret);
    return n;
  }

  @Override
  public String toString() {
    return "CreatedKey[" + key.id() + "]"; // never the secret, should this end up in a log
  }
}
