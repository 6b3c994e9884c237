package io.junction.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One stored answer, as the client received it: the bytes (a JSON body, or a whole SSE stream
 * with its end marker), their content type, whether it was streamed, and who produced it (the
 * provider's configured name and the upstream model, for the hit's headers and log row). Usage is
 * not kept: a hit consumes no tokens anywhere (README, "Response cache"), and the body carries the
 * original usage for the client anyway. The status is always 200: only successful answers are stored.
 */
public record CachedAnswer(String provider, String model, String contentType, boolean streamed, byte[] body) {
  /** Bumped when the envelope changes: an entry of another version reads as a miss. */
  private static final int VERSION = 1;

  /** The compact envelope kept in Redis: a version byte, three strings, the stream flag, then the body. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(provider);
      out.writeUTF(model == null ? "" : model);
      out.writeUTF(contentType);
      out.writeBoolean(streamed);
      out.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** The answer in {@code envelope}, or null when it is not one this version wrote. */
  public static CachedAnswer decode(byte[] envelope) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope))) {
      if (in.readUnsignedByte() != VERSION) return null;
      String provider = in.readUTF();
      String model = in.readUTF();
      String contentType = in.readUTF();
      boolean streamed = in.readBoolean();
      return new CachedAnswer(provider, model.isEmpty() ? null : model, contentType, streamed, in.readAllBytes());
    } catch (IOException e) {
      return null;
    }
  }
}
