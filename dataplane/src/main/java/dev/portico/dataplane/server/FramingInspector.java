package dev.portico.dataplane.server;

import dev.portico.dataplane.problem.ProblemType;
import dev.portico.dataplane.problem.Problems;
import dev.portico.dataplane.proxy.RequestIds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads an HTTP/1.1 connection's bytes before the decoder does, to refuse the framing tricks the
 * decoder silently repairs: Content-Length together with Transfer-Encoding (Netty drops the length
 * and carries on), obs-fold continuation lines (Netty joins them), duplicate differing lengths, and
 * malformed chunk-size lines or chunk terminators. A repaired request is exactly what a smuggling
 * attempt needs when another parser in the chain repairs it differently, so these get 400 and the
 * connection is closed.
 *
 * <p>It follows request framing (head, then a fixed-length or chunked body) without copying bodies,
 * keeping only the current line, bounded by the header limit. After the server answers 101
 * (WebSocket, h2c upgrade) the bytes are no longer HTTP/1, and it steps aside for good.
 *
 * <p>On an HTTPS listener it must read decrypted bytes: Vert.x adds its TLS handler after the
 * inspector that {@link InspectingTransport} put first, so on the first read the inspector moves to
 * right behind the TLS handler. Smuggling defences then hold on HTTPS exactly as on HTTP.
 */
final class FramingInspector extends ChannelDuplexHandler {
  private enum State {
    HEAD,
    BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_CR,
    CHUNK_LF,
    TRAILER,
    PASS
  }

  private static final int MAX_CHUNK_LINE = 4096;
  private static final byte[] H2_PREFACE = "PRI * HTTP/2.0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SWITCHING = "HTTP/1.1 101".getBytes(StandardCharsets.US_ASCII);

  private final int maxHeadBytes;
  private final int maxLine;

  /** The current line; grows on demand up to {@link #maxLine}, as most lines are short. */
  private byte[] line = new byte[256];

  private int lineLength;
  private State state = State.HEAD;
  private long remaining;

  // The head being read.
  private boolean requestLine = true;
  private int headBytes;
  private String contentLength;
  private boolean lengthsDisagree;
  private String transferEncoding;
  private boolean upgradeRequested;
  private boolean wroteSinceHead;
  private boolean placed;

  FramingInspector(int maxHeadBytes) {
    this.maxHeadBytes = maxHeadBytes;
    this.maxLine = Math.max(maxHeadBytes, MAX_CHUNK_LINE) + 2;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!placed) {
      placed = true;
      if (movedBehindTls(ctx)) {
        ctx.fireChannelRead(msg); // on to the TLS handler, then to the inspector behind it
        return;
      }
    }
    if (state == State.PASS || !(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    String violation = scan(buf);
    if (violation == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    buf.release();
    reject(ctx, violation);
  }

  /**
   * Replaces this inspector by a fresh one right behind a TLS handler further down the pipeline, if
   * there is one. Netty's SNI handler later replaces itself by the TLS handler in the same place.
   */
  private boolean movedBehindTls(ChannelHandlerContext ctx) {
    ChannelPipeline pipeline = ctx.pipeline();
    boolean behindMe = false;
    String tls = null;
    for (Map.Entry<String, ChannelHandler> e : pipeline) {
      if (e.getValue() == this) {
        behindMe = true;
      } else if (behindMe
          && (e.getValue() instanceof SslHandler || e.getValue() instanceof AbstractSniHandler)) {
        tls = e.getKey();
        break;
      }
    }
    if (tls == null) {
      return false;
    }
    String name = ctx.name();
    pipeline.remove(this);
    pipeline.addAfter(tls, name, new FramingInspector(maxHeadBytes));
    return true;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (state != State.PASS && msg instanceof ByteBuf buf) {
      wroteSinceHead = true;
      if (upgradeRequested && startsWith(buf, SWITCHING)) {
        state = State.PASS;
      }
    }
    ctx.write(msg, promise);
  }

  /** Advances the framing state over {@code buf}; the first violation found, or null. */
  private String scan(ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    while (i < end && state != State.PASS) {
      switch (state) {
        case BODY, CHUNK_DATA -> {
          int n = (int) Math.min(remaining, end - i);
          i += n;
          remaining -= n;
          if (remaining == 0) {
            state = state == State.BODY ? startHead() : State.CHUNK_CR;
          }
        }
        case CHUNK_CR, CHUNK_LF -> {
          byte b = buf.getByte(i++);
          if (b != (state == State.CHUNK_CR ? '\r' : '\n')) {
            return "a chunk is not followed by CRLF";
          }
          state = state == State.CHUNK_CR ? State.CHUNK_LF : State.CHUNK_SIZE;
        }
        default -> {
          byte b = buf.getByte(i++);
          if (b == '\n') {
            String violation = endOfLine();
            lineLength = 0;
            if (violation != null) {
              return violation;
            }
          } else if (lineLength < maxLine) {
            if (lineLength == line.length) {
              line = java.util.Arrays.copyOf(line, Math.min(maxLine, line.length * 2));
            }
            line[lineLength++] = b;
          } else if (state == State.HEAD) {
            state = State.PASS; // the decoder answers 431 for this head
          } else {
            return "a chunk-size or trailer line is too long";
          }
        }
      }
    }
    return null;
  }

  private String endOfLine() {
    return switch (state) {
      case HEAD -> headLine();
      case CHUNK_SIZE -> chunkSizeLine();
      case TRAILER -> trailerLine();
      default -> null;
    };
  }

  private String headLine() {
    int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    headBytes += lineLength + 1;
    if (headBytes > maxHeadBytes) {
      state = State.PASS; // the decoder answers 431
      return null;
    }
    if (requestLine) {
      if (len > 0) {
        requestLine = false;
        wroteSinceHead = false;
        if (len == H2_PREFACE.length && java.util.Arrays.equals(line, 0, len, H2_PREFACE, 0, len)) {
          state = State.PASS; // HTTP/2 with prior knowledge: frames, not lines
        }
      }
      return null;
    }
    if (len == 0) {
      return endOfHead();
    }
    if (line[0] == ' ' || line[0] == '\t') {
      return "a header line is folded (obs-fold)";
    }
    int colon = indexOf((byte) ':', len);
    if (colon <= 0) {
      return null; // the decoder refuses it
    }
    String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1).toLowerCase();
    String value = new String(line, colon + 1, len - colon - 1, StandardCharsets.ISO_8859_1).trim();
    switch (name) {
      case "content-length" -> {
        if (contentLength != null && !contentLength.equals(value)) {
          lengthsDisagree = true;
        }
        contentLength = value;
      }
      case "transfer-encoding" ->
          transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
      case "upgrade" -> upgradeRequested = true;
      default -> {}
    }
    return null;
  }

  private String endOfHead() {
    if (contentLength != null && transferEncoding != null) {
      return "both Content-Length and Transfer-Encoding are present";
    }
    if (lengthsDisagree) {
      return "Content-Length values disagree";
    }
    if (transferEncoding != null) {
      String te = transferEncoding.toLowerCase().replace(" ", "");
      // Anything but a plain "chunked" is refused by the request guard, which closes too.
      state = te.equals("chunked") ? State.CHUNK_SIZE : State.PASS;
    } else if (contentLength != null) {
      long length = parseLength(contentLength);
      if (length < 0) {
        state = State.PASS; // the decoder or the guard refuses it
      } else if (length > 0) {
        remaining = length;
        state = State.BODY;
      } else {
        state = startHead();
      }
    } else {
      state = startHead();
    }
    return null;
  }

  private String chunkSizeLine() {
    if (lineLength == 0 || line[lineLength - 1] != '\r') {
      return "a chunk-size line does not end with CRLF";
    }
    int len = lineLength - 1;
    int digits = 0;
    long size = 0;
    while (digits < len && Character.digit(line[digits], 16) >= 0) {
      size = size * 16 + Character.digit(line[digits], 16);
      digits++;
    }
    if (digits == 0 || digits > 15) {
      return "malformed chunk size";
    }
    int i = digits;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) {
      i++;
    }
    if (i < len && line[i] != ';') {
      return "malformed chunk size";
    }
    for (int j = i; j < len; j++) {
      if (line[j] < 0x20 && line[j] != '\t' || line[j] == 0x7f) {
        return "control character in a chunk extension";
      }
    }
    if (size == 0) {
      state = State.TRAILER;
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
    return null;
  }

  private String trailerLine() {
    int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    if (len == 0) {
      state = startHead();
      return null;
    }
    return line[0] == ' ' || line[0] == '\t' ? "a trailer line is folded (obs-fold)" : null;
  }

  private State startHead() {
    requestLine = true;
    headBytes = 0;
    contentLength = null;
    lengthsDisagree = false;
    transferEncoding = null;
    return State.HEAD;
  }

  /**
   * Answers 400 and closes. When the server already wrote something for this request (a response
   * under way), a second response would corrupt it, so the connection is only closed.
   */
  private void reject(ChannelHandlerContext ctx, String detail) {
    state = State.PASS;
    if (wroteSinceHead) {
      ctx.close();
      return;
    }
    String id = RequestIds.generate();
    byte[] body =
        Problems.body(ProblemType.BAD_REQUEST, detail, id)
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 400 Bad Request\r\ncontent-type: "
            + Problems.CONTENT_TYPE
            + "\r\ncache-control: no-store\r\nx-request-id: "
            + id
            + "\r\ncontent-length: "
            + body.length
            + "\r\nconnection: close\r\n\r\n";
    ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private int indexOf(byte b, int len) {
    for (int i = 0; i < len; i++) {
      if (line[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static long parseLength(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(value);
  }

  private static boolean startsWith(ByteBuf buf, byte[] prefix) {
    if (buf.readableBytes() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buf.getByte(buf.readerIndex() + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
