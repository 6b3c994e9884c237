package io.junction.protocol.bedrock;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The AWS event stream binary framing ({@code application/vnd.amazon.eventstream}) used by
 * Bedrock's ConverseStream. Each message: total length (u32), headers length (u32), CRC32 of those
 * 8 bytes, headers, payload, CRC32 of everything before it. Integers are big-endian.
 */
public final class EventStream {

  /** Prelude (12 bytes) plus trailing message CRC (4 bytes). */
  private static final int OVERHEAD = 16;
  /** AWS caps one message at 16 MiB; anything larger means we lost the framing. */
  private static final long MAX_MESSAGE = 16L * 1024 * 1024;

  private static final int TYPE_STRING = 7;

  private EventStream() {}

  /** One decoded message. Only string-typed headers are kept (the only kind Bedrock's events carry that we read). */
  public record Message(Map<String, String> headers, byte[] payload) {
    public String header(String name) { return headers.get(name); }
  }

  /** The framing is broken: bad CRC, impossible lengths, unknown header type. */
  public static final class FramingException extends Exception {
    FramingException(String message) { super(message, null, false, false); }
  }

  /** Encodes one message with string headers (what the Bedrock mock and tests send). */
  public static Buffer encode(Map<String, String> headers, byte[] payload) {
    Buffer hb = Buffer.buffer();
    headers.forEach((name, value) -> {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      byte[] v = value.getBytes(StandardCharsets.UTF_8);
      hb.appendUnsignedByte((short) n.length).appendBytes(n).appendUnsignedByte((short) TYPE_STRING)
          .appendUnsignedShort(v.length).appendBytes(v);
    });
    Buffer out = Buffer.buffer();
    out.appendUnsignedInt(OVERHEAD + hb.length() + payload.length).appendUnsignedInt(hb.length());
    out.appendUnsignedInt(crc(out.getBytes(), 0, 8));
    out.appendBuffer(hb).appendBytes(payload);
    out.appendUnsignedInt(crc(out.getBytes(), 0, out.length()));
    return out;
  }

  /** Incremental decoder: bytes may arrive split anywhere, including inside the prelude. */
  public static final class Decoder {
    private Buffer pending = Buffer.buffer();

    /** Appends {@code chunk} and returns every message now complete, in order. */
    public List<Message> feed(Buffer chunk) throws FramingException {
      pending.appendBuffer(chunk);
      List<Message> out = new ArrayList<>();
      int offset = 0;
      while (pending.length() - offset >= 12) {
        long total = pending.getUnsignedInt(offset);
        long headersLength = pending.getUnsignedInt(offset + 4);
        byte[] prelude = pending.getBytes(offset, offset + 8);
        if (crc(prelude, 0, 8) != pending.getUnsignedInt(offset + 8)) throw new FramingException("prelude CRC mismatch");
        if (total < OVERHEAD + headersLength || total > MAX_MESSAGE) {
          throw new FramingException("impossible message length " + total);
        }
        if (pending.length() - offset < total) break;
        int end = offset + (int) total;
        byte[] message = pending.getBytes(offset, end);
        if (crc(message, 0, message.length - 4) != pending.getUnsignedInt(end - 4)) throw new FramingException("message CRC mismatch");
        int headersEnd = 12 + (int) headersLength;
        out.add(new Message(headers(message, 12, headersEnd), java.util.Arrays.copyOfRange(message, headersEnd, message.length - 4)));
        offset = end;
      }
      if (offset > 0) pending = pending.getBuffer(offset, pending.length());
      return out;
    }

    /** True when bytes of an unfinished message are buffered. */
    public boolean hasPartialMessage() { return pending.length() > 0; }
  }

  private static Map<String, String> headers(byte[] m, int pos, int end) throws FramingException {
    Map<String, String> headers = new LinkedHashMap<>();
    while (pos < end) {
      int nameLength = m[pos++] & 0xff;
      need(pos + nameLength + 1, end);
      String name = new String(m, pos, nameLength, StandardCharsets.UTF_8);
      pos += nameLength;
      int type = m[pos++] & 0xff;
      int valueLength = switch (type) {
        case 0, 1 -> 0;            // bool true / false: the type is the value
        case 2 -> 1;               // byte
        case 3 -> 2;               // short
        case 4 -> 4;               // int
        case 5, 8 -> 8;            // long, timestamp
        case 9 -> 16;              // uuid
        case 6, 7 -> {             // byte array, string: u16 length prefix
          need(pos + 2, end);
          int n = ((m[pos] & 0xff) << 8) | (m[pos + 1] & 0xff);
          pos += 2;
          yield n;
        }
        default -> throw new FramingException("unknown header value type " + type);
      };
      need(pos + valueLength, end);
      if (type == TYPE_STRING) headers.put(name, new String(m, pos, valueLength, StandardCharsets.UTF_8));
      pos += valueLength;
    }
    return headers;
  }

  private static void need(int pos, int end) throws FramingException {
    if (pos > end) throw new FramingException("header runs past the header section");
  }

  private static long crc(byte[] bytes, int from, int to) {
    CRC32 crc = new CRC32();
    crc.update(bytes, from, to - from);
    return crc.getValue();
  }
}
