package io.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SSE framer: WHATWG line ends split anywhere, fields, byte ranges that tile the stream, the size bound. */
class SseFramerTest {

  /** What one block told the handler. */
  record Seen(String name, String data, String raw, long start, long end) {}

  private static final class Collector {
    final List<Seen> blocks = new ArrayList<>();
    final SseFramer framer;

    Collector(int max) {
      framer = new SseFramer(max, e -> {
        Buffer raw = Buffer.buffer();
        e.appendTo(raw);
        blocks.add(new Seen(e.name(), e.hasData() ? e.data() : null, raw.toString(StandardCharsets.UTF_8), e.start(), e.end()));
      });
    }

    List<Seen> events() { return blocks.stream().filter(b -> b.data() != null).toList(); }

    String raw() {
      StringBuilder sb = new StringBuilder();
      blocks.forEach(b -> sb.append(b.raw()));
      return sb.toString();
    }
  }

  private static Collector feed(byte[] stream, int... cuts) {
    Collector c = new Collector(SseFramer.MAX_EVENT_BYTES);
    int from = 0;
    for (int cut : cuts) {
      c.framer.feed(Buffer.buffer().appendBytes(stream, from, cut - from));
      from = cut;
    }
    c.framer.feed(Buffer.buffer().appendBytes(stream, from, stream.length - from));
    c.framer.finish();
    return c;
  }

  /**
   * A plain reading of the WHATWG rules on the whole text at once, as the reference: lines end at
   * CRLF, LF or CR; a blank line dispatches; comments and other fields are ignored.
   */
  static List<String[]> reference(String text) {
    List<String[]> out = new ArrayList<>();
    String name = null;
    StringBuilder data = null;
    String[] lines = text.split("\r\n|\r|\n", -1);
    boolean endsWithNewline = text.endsWith("\n") || text.endsWith("\r");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean last = i == lines.length - 1;
      if (last && endsWithNewline) break; // the empty string after the final line end
      if (line.isEmpty()) {
        if (data != null) out.add(new String[] {name, data.toString()});
        name = null;
        data = null;
        continue;
      }
      if (line.startsWith(":")) continue;
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      if (field.equals("event")) name = value;
      if (field.equals("data")) data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
    }
    if (data != null) out.add(new String[] {name, data.toString()}); // finish(): a last event without its blank line
    return out;
  }

  private static void assertMatchesReference(String text, Collector c) {
    List<String[]> expected = reference(text);
    List<Seen> events = c.events();
    assertThat(events).as("events of %s", text).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(events.get(i).name()).as("name %d of %s", i, text).isEqualTo(expected.get(i)[0]);
      assertThat(events.get(i).data()).as("data %d of %s", i, text).isEqualTo(expected.get(i)[1]);
    }
    // The blocks tile the stream: every byte once, in order, offsets contiguous.
    assertThat(c.raw()).isEqualTo(text);
    long at = 0;
    for (Seen b : c.blocks) {
      assertThat(b.start()).isEqualTo(at);
      at = b.end();
    }
    assertThat(at).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void lfCrAndCrlfLineEndsGiveTheSameEvents() {
    String lf = "event: one\ndata: a\ndata: b\n\n: a comment\n\ndata:c\nid: 7\nretry: 10\n\n";
    for (String end : new String[] {"\n", "\r", "\r\n"}) {
      String text = lf.replace("\n", end);
      Collector c = feed(text.getBytes(StandardCharsets.UTF_8));
      assertThat(c.events()).extracting(Seen::name, Seen::data)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("one", "a\nb"), org.assertj.core.groups.Tuple.tuple(null, "c"));
      assertMatchesReference(text, c);
    }
  }

  @Test
  void crOnlyStreamIsFramedAtEachBlankLine() {
    String text = "data: {\"n\":1}\r\rdata: {\"n\":2}\r\r";
    Collector c = feed(text.getBytes(StandardCharsets.UTF_8));
    assertThat(c.events()).extracting(Seen::data).containsExactly("{\"n\":1}", "{\"n\":2}");
    assertThat(c.blocks).extracting(Seen::raw).containsExactly("data: {\"n\":1}\r\r", "data: {\"n\":2}\r\r");
  }

  @Test
  void everySplitPositionGivesTheSameEventsAndBytes() {
    String[] streams = {
        "event: message_start\ndata: {\"a\":\"é\"}\n\n:ping\n\ndata: x\ndata: y\n\n",
        "data: one\r\n\r\ndata: two\r\n\r\nevent: e\r\ndata\r\n\r\n",
        "data: a\r\rdata: b\r\r\ndata: c\n\r\n",
        "data: no blank line at the end",
        "data: [DONE]\n\n\n\n",
    };
    for (String text : streams) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      for (int cut = 0; cut <= bytes.length; cut++) assertMatchesReference(text, feed(bytes, cut));
      int[] everyByte = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) everyByte[i] = i;
      assertMatchesReference(text, feed(bytes, everyByte));
    }
  }

  @Test
  void randomStreamsMatchTheReferenceWhateverTheChunking() {
    Random random = new Random(42);
    String[] ends = {"\n", "\r", "\r\n"};
    for (int round = 0; round < 500; round++) {
      StringBuilder sb = new StringBuilder();
      int events = random.nextInt(6);
      for (int e = 0; e < events; e++) {
        int lines = 1 + random.nextInt(4);
        for (int l = 0; l < lines; l++) {
          String end = ends[random.nextInt(3)];
          switch (random.nextInt(6)) {
            case 0 -> sb.append(": comment ").append(l);
            case 1 -> sb.append("event: ev").append(random.nextInt(3));
            case 2 -> sb.append("id: ").append(l);
            default -> sb.append(random.nextBoolean() ? "data: " : "data:").append("{\"k\":\"v").append(random.nextInt(100)).append("\"}");
          }
          sb.append(end);
        }
        sb.append(ends[random.nextInt(3)]);
      }
      if (random.nextInt(4) == 0) sb.append("data: tail");
      String text = sb.toString();
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      int[] cuts = random.ints(random.nextInt(5), 0, bytes.length + 1).sorted().toArray();
      assertMatchesReference(text, feed(bytes, cuts));
    }
  }

  @Test
  void anEventOfExactlyTheLimitPassesAndOneByteMoreIsAnError() {
    String event = "data: " + "x".repeat(92) + "\n\n"; // 100 bytes
    Collector ok = new Collector(100);
    ok.framer.feed(Buffer.buffer(event));
    assertThat(ok.framer.error()).isNull();
    assertThat(ok.events()).hasSize(1);

    Collector over = new Collector(99);
    over.framer.feed(Buffer.buffer(event));
    assertThat(over.framer.error()).contains("over");
    assertThat(over.events()).isEmpty();
    assertThat(over.framer.pendingBytes()).isZero();
  }

  @Test
  void twentyMegabytesWithoutANewlineEndInTheSizeErrorWithoutBeingHeld() {
    byte[] piece = new byte[64 * 1024];
    java.util.Arrays.fill(piece, (byte) 'x');
    System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, piece, 0, 6);
    Collector c = new Collector(SseFramer.MAX_EVENT_BYTES);
    long fed = 0;
    long fedAtError = -1;
    int maxPending = 0;
    while (fed < 20L * 1024 * 1024) {
      c.framer.feed(Buffer.buffer(piece));
      fed += piece.length;
      maxPending = Math.max(maxPending, c.framer.pendingBytes());
      if (fedAtError < 0 && c.framer.error() != null) fedAtError = fed;
      if (fed == 64 * 1024) java.util.Arrays.fill(piece, 0, 6, (byte) 'x');
    }
    c.framer.finish();
    assertThat(c.framer.error()).isEqualTo("Upstream sent a stream event over 8 MiB");
    // Stopped as soon as the event passed 8 MiB, held no more than that, and kept nothing after.
    assertThat(fedAtError).isEqualTo(SseFramer.MAX_EVENT_BYTES + piece.length);
    assertThat(maxPending).isLessThanOrEqualTo(SseFramer.MAX_EVENT_BYTES);
    assertThat(c.framer.pendingBytes()).isZero();
    assertThat(c.blocks).isEmpty();
  }

  @Test
  void oneHugeChunkIsScannedInWindowsAndStoppedAtTheLimit() {
    byte[] huge = new byte[20 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'y');
    Collector c = new Collector(SseFramer.MAX_EVENT_BYTES);
    c.framer.feed(Buffer.buffer(huge));
    assertThat(c.framer.error()).isNotNull();
    assertThat(c.framer.pendingBytes()).isZero();
    // Later bytes are ignored, not buffered.
    c.framer.feed(Buffer.buffer("\n\ndata: late\n\n"));
    assertThat(c.framer.pendingBytes()).isZero();
    assertThat(c.blocks).isEmpty();
  }

  @Test
  void aParserOverTheDataReadsItInPlace() throws Exception {
    List<String> types = new ArrayList<>();
    SseFramer framer = new SseFramer(e -> {
      try (var p = e.dataParser()) {
        types.add(((com.fasterxml.jackson.databind.JsonNode) Json.MAPPER.readTree(p)).path("type").asText());
      } catch (java.io.IOException ex) {
        throw new AssertionError(ex);
      }
    });
    framer.feed(Buffer.buffer("data: {\"type\":\r\ndata: \"split\"}\r\n\r\ndata: {\"type\":\"one\"}\n\n"));
    assertThat(types).containsExactly("split", "one");
  }

  @Test
  void lineEndFindsTheFirstCrOrLfAtEveryOffsetAndIgnoresLookalikeBytes() {
    // 0x8A and 0x8D share the low bits of LF and CR; 0x0B/0x0C are their neighbours; é is two bytes.
    byte[] noise = "ab\u008a\u008d\u000b\u000cé\tz".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int size = 0; size < 40; size++) {
      for (int at = 0; at <= size; at++) {
        for (byte end : new byte[] {'\n', '\r'}) {
          byte[] b = new byte[size + 3];
          for (int i = 0; i < b.length; i++) b[i] = noise[i % noise.length];
          if (at < size) b[at + 1] = end;
          int expected = at < size ? at + 1 : size + 1;
          assertThat(SseFramer.lineEnd(b, 1, size + 1)).as("size %d, end at %d", size, at).isEqualTo(expected);
        }
      }
    }
  }
}
