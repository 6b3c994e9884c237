package io.junction.protocol;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The one Server-Sent Events framer: cuts a byte stream into blocks, each ending with its blank
 * line (WHATWG line ends: LF, CR or CRLF, split anywhere across chunks). Every byte fed belongs to
 * exactly one block, in order, so a relay can forward blocks untouched. The {@code event} and
 * {@code data} fields are located during the same scan; their text is made only when asked for.
 *
 * <p>Linear in the bytes fed: each byte is copied into the buffer once and scanned once; the bytes
 * of an unfinished block are moved at most once. (An LF that completes a CRLF split from its CR by
 * a chunk boundary is the first byte of the next block.) One block over {@code maxEventBytes} (CONTRACT
 * §2: 8 MiB) is not buffered: the framer stops with {@link #error()} and drops what it held.
 */
public final class SseFramer {
  public static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;
  /** A chunk is copied and scanned in windows of this size, so one huge chunk is never held whole. */
  private static final int WINDOW = 64 * 1024;
  /** A buffer grown for a big block is given back once that block is gone. */
  private static final int KEEP_CAPACITY = 256 * 1024;
  private static final byte[] NEWLINE = {'\n'};

  /** Receives each block. The {@link Event} and its bytes are valid only during the call. */
  public interface Handler {
    void onEvent(Event event);
  }

  private final Handler handler;
  private final int maxEventBytes;
  private final Event event = new Event();
  private byte[] buf = new byte[0];
  private int len;
  /** Start of the unfinished block in {@code buf}. */
  private int blockStart;
  /** Start of the current line in {@code buf}. */
  private int lineStart;
  /** The last byte scanned was a CR ending a line: an LF right after it is part of that line end. */
  private boolean afterCr;
  /** Fields of the unfinished block, relative to its start. */
  private int dataLines;
  private int dataFrom;
  private int dataTo;
  private int nameFrom = -1;
  private int nameTo;
  private byte[] joined = new byte[64];
  private int joinedLength;
  /** Stream offset of {@code buf[0]}. */
  private long offset;
  private String error;

  public SseFramer(Handler handler) { this(MAX_EVENT_BYTES, handler); }

  public SseFramer(int maxEventBytes, Handler handler) {
    this.maxEventBytes = maxEventBytes;
    this.handler = handler;
  }

  /** Scans {@code chunk}, calling the handler for each block it completes. Ignored after an error. */
  public void feed(Buffer chunk) {
    int n = chunk.length();
    for (int from = 0; from < n && error == null; from += WINDOW) {
      int to = Math.min(n, from + WINDOW);
      int scanFrom = append(chunk, from, to);
      scan(scanFrom);
      if (error == null && len - blockStart > maxEventBytes) tooLarge();
    }
  }

  /** The stream ended: a block left without its closing blank line is delivered as it is. */
  public void finish() {
    if (error != null || len == blockStart) return;
    if (lineStart < len) line(lineStart, len);
    dispatch(blockStart, len);
    reset();
  }

  /** Why framing stopped (a block over the limit), or null. */
  public String error() { return error; }

  /** Bytes held for the unfinished block. */
  public int pendingBytes() { return len - blockStart; }

  /** Stream offset just past the last block delivered (everything before it has been handed out). */
  public long delivered() { return offset + blockStart; }

  private int append(Buffer chunk, int from, int to) {
    int need = to - from;
    if (blockStart == len) reset();
    if (len + need > buf.length && blockStart > 0) {
      // Only after a block ended: the unfinished one moves to the front once, then grows in place.
      System.arraycopy(buf, blockStart, buf, 0, len - blockStart);
      offset += blockStart;
      len -= blockStart;
      lineStart -= blockStart;
      blockStart = 0;
    }
    if (len + need > buf.length) {
      byte[] bigger = new byte[Math.max(len + need, Math.min(2 * buf.length, maxEventBytes + WINDOW))];
      System.arraycopy(buf, 0, bigger, 0, len);
      buf = bigger;
    }
    chunk.getBytes(from, to, buf, len);
    int scanFrom = len;
    len += need;
    return scanFrom;
  }

  private void reset() {
    offset += len;
    len = 0;
    blockStart = 0;
    lineStart = 0;
    if (buf.length > KEEP_CAPACITY) buf = new byte[0];
  }

  private void scan(int from) {
    byte[] b = buf;
    for (int i = from; i < len; i++) {
      byte c = b[i];
      if (afterCr) {
        afterCr = false;
        if (c == '\n') {
          lineStart = i + 1;
          continue;
        }
      }
      if (c != '\n' && c != '\r') {
        i = lineEnd(b, i + 1, len) - 1; // the loop's i++ lands on it
        continue;
      }
      afterCr = c == '\r';
      if (i > lineStart) {
        line(lineStart, i);
        lineStart = i + 1;
        continue;
      }
      // A blank line ends the block. Its CRLF stays in it when the LF is already here.
      int end = i + 1;
      if (afterCr && end < len && b[end] == '\n') {
        afterCr = false;
        end++;
        i++;
      }
      if (end - blockStart > maxEventBytes) {
        tooLarge();
        return;
      }
      dispatch(blockStart, end);
      blockStart = end;
      lineStart = end;
    }
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
  private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The first CR or LF in {@code b[from, to)}, or {@code to}: eight bytes at a time (a byte equal to
   * the one sought XORs to zero, and {@code (x - 0x01..) & ~x & 0x80..} marks zero bytes; a false
   * mark can only follow a true one, and the lowest mark is the first byte in little-endian order).
   * Most of a stream's bytes are inside lines, so this is most of the framer's time.
   */
  static int lineEnd(byte[] b, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long v = (long) LONGS.get(b, i);
      long lf = v ^ LFS;
      long cr = v ^ CRS;
      long marks = (((lf - ONES) & ~lf) | ((cr - ONES) & ~cr)) & HIGHS;
      if (marks != 0) return i + (Long.numberOfTrailingZeros(marks) >>> 3);
    }
    for (; i < to; i++) if (b[i] == '\n' || b[i] == '\r') return i;
    return to;
  }

  /** Notes the line's field if it is {@code data} or {@code event}; positions are kept relative to the block. */
  private void line(int from, int to) {
    byte[] b = buf;
    if (b[from] == ':') return; // a comment
    // Only "data" and "event" are read: the colon is looked for in the first 6 bytes, not the whole line.
    int limit = Math.min(to, from + 6);
    int colon = from;
    while (colon < limit && b[colon] != ':') colon++;
    if (colon == limit && limit < to) return;
    int v = colon < to ? colon + 1 : to;
    if (v < to && b[v] == ' ') v++;
    int field = colon - from;
    if (field == 4 && b[from] == 'd' && b[from + 1] == 'a' && b[from + 2] == 't' && b[from + 3] == 'a') {
      if (dataLines++ == 0) {
        dataFrom = v - blockStart;
        dataTo = to - blockStart;
      } else {
        // Several data lines: joined with LF in a side buffer (rare; one line is read in place).
        if (dataLines == 2) {
          joinedLength = 0;
          join(b, blockStart + dataFrom, blockStart + dataTo);
        }
        join(NEWLINE, 0, 1);
        join(b, v, to);
      }
    } else if (field == 5 && b[from] == 'e' && b[from + 1] == 'v' && b[from + 2] == 'e' && b[from + 3] == 'n' && b[from + 4] == 't') {
      nameFrom = v - blockStart;
      nameTo = to - blockStart;
    }
  }

  private void join(byte[] b, int from, int to) {
    int n = to - from;
    if (joinedLength + n > joined.length) joined = java.util.Arrays.copyOf(joined, Math.max(joinedLength + n, 2 * joined.length));
    System.arraycopy(b, from, joined, joinedLength, n);
    joinedLength += n;
  }

  private void dispatch(int from, int to) {
    event.set(this, from, to);
    dataLines = 0;
    nameFrom = -1;
    if (joined.length > KEEP_CAPACITY) joined = new byte[64];
    handler.onEvent(event);
  }

  private void tooLarge() {
    error = "Upstream sent a stream event over " + (maxEventBytes / (1024 * 1024)) + " MiB";
    offset += blockStart; // delivered() stays the end of the last block handed out
    buf = new byte[0];
    len = blockStart = lineStart = 0;
  }

  /** One block: its bytes as they came, its {@code event} and {@code data} fields on demand. */
  public static final class Event {
    private byte[] bytes;
    private int from;
    private int to;
    private long start;
    private int dataLines;
    private byte[] dataBytes;
    private int dataFrom;
    private int dataTo;
    private int nameFrom;
    private int nameTo;

    private void set(SseFramer f, int from, int to) {
      this.bytes = f.buf;
      this.from = from;
      this.to = to;
      this.start = f.offset + from;
      this.dataLines = f.dataLines;
      if (dataLines > 1) {
        dataBytes = f.joined;
        dataFrom = 0;
        dataTo = f.joinedLength;
      } else {
        dataBytes = bytes;
        dataFrom = from + f.dataFrom;
        dataTo = from + f.dataTo;
      }
      nameFrom = f.nameFrom < 0 ? -1 : from + f.nameFrom;
      nameTo = from + f.nameTo;
    }

    /** Whether the block has a {@code data} field: only those are events; the rest are comments or blank lines. */
    public boolean hasData() { return dataLines > 0; }

    /** Stream offset of the block's first byte. */
    public long start() { return start; }

    /** Stream offset just past the block's last byte. */
    public long end() { return start + (to - from); }

    /** Whether the block's last byte is a CR (an LF in the next chunk may complete its CRLF). */
    public boolean endsWithCr() { return to > from && bytes[to - 1] == '\r'; }

    /** Whether the block's first byte is an LF (then, after a block ending in CR, it is that CRLF's end). */
    public boolean startsWithLf() { return to > from && bytes[from] == '\n'; }

    /** Appends the block's bytes, exactly as received, to {@code out}. */
    public void appendTo(Buffer out) { out.appendBytes(bytes, from, to - from); }

    /** The {@code event} field, or null when there is none. */
    public String name() { return nameFrom < 0 ? null : new String(bytes, nameFrom, nameTo - nameFrom, StandardCharsets.UTF_8); }

    public boolean hasName() { return nameFrom >= 0; }

    /** Whether the {@code event} field is exactly {@code ascii}. */
    public boolean nameIs(String ascii) { return nameFrom >= 0 && equalsAscii(bytes, nameFrom, nameTo, ascii); }

    /** The {@code data} lines joined with LF (empty when there are none). */
    public String data() {
      return dataLines == 0 ? "" : new String(dataBytes, dataFrom, dataTo - dataFrom, StandardCharsets.UTF_8);
    }

    /** Whether the data, ignoring surrounding whitespace, is exactly {@code ascii} (e.g. {@code [DONE]}). */
    public boolean dataIs(String ascii) {
      if (dataLines == 0) return false;
      int a = dataFrom;
      int z = dataTo;
      while (a < z && (dataBytes[a] & 0xff) <= ' ') a++;
      while (z > a && (dataBytes[z - 1] & 0xff) <= ' ') z--;
      return equalsAscii(dataBytes, a, z, ascii);
    }

    /** Whether the data is empty or whitespace. */
    public boolean dataIsBlank() {
      for (int i = dataFrom; dataLines > 0 && i < dataTo; i++) if ((dataBytes[i] & 0xff) > ' ') return false;
      return true;
    }

    /** A streaming JSON parser over the data, in place (no copy, no String). */
    public JsonParser dataParser() throws IOException {
      return dataLines == 0 ? Json.MAPPER.createParser(new byte[0]) : Json.MAPPER.createParser(dataBytes, dataFrom, dataTo - dataFrom);
    }

    /** The raw data bytes, for scans that look for a key before parsing: {@code [dataFrom(), dataTo())}. */
    public byte[] dataArray() { return dataBytes; }

    public int dataFrom() { return dataLines == 0 ? 0 : dataFrom; }

    public int dataTo() { return dataLines == 0 ? 0 : dataTo; }

    private static boolean equalsAscii(byte[] b, int from, int to, String ascii) {
      if (to - from != ascii.length()) return false;
      for (int i = 0; i < to - from; i++) if (b[from + i] != ascii.charAt(i)) return false;
      return true;
    }
  }
}
