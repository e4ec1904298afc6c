package dev.portico.dataplane.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketChannel;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's native epoll transport on Linux (NIO elsewhere, or when told so), except that every
 * accepted connection starts with a {@link FramingInspector} in its pipeline, before Vert.x adds
 * its HTTP decoder: the only point where the first bytes of a connection can be seen, as Vert.x
 * announces HTTP/1 connections (with h2c enabled) only after their first request head is decoded.
 * Build the data plane's Vert.x with it: {@code
 * Vertx.builder().withTransport(InspectingTransport.create()).build()}.
 *
 * <p>Epoll is the default because it costs less CPU per request than NIO (edge-triggered, no
 * selected-key sets, direct {@code writev}); {@code PORTICO_TRANSPORT=nio} (environment) or {@code
 * -Dportico.transport=nio} selects NIO, for example where the native library cannot load.
 */
public final class InspectingTransport implements Transport {
  /** The largest header block a DataPlane may allow; listeners' own limits are the decoder's. */
  static final int MAX_HEAD_BYTES = 1024 * 1024;

  static final String NAME = "portico-framing";

  private final Transport base;

  private InspectingTransport(Transport base) {
    this.base = base;
  }

  /** Epoll where it is available and not turned off, NIO otherwise. */
  public static InspectingTransport create() {
    String choice = System.getProperty("portico.transport", System.getenv("PORTICO_TRANSPORT"));
    boolean nio = choice != null && choice.toLowerCase(Locale.ROOT).equals("nio");
    return new InspectingTransport(
        !nio && Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO);
  }

  /** Always NIO: for tests that must behave the same on every machine. */
  public static InspectingTransport nio() {
    return new InspectingTransport(Transport.NIO);
  }

  @Override
  public String name() {
    return base.name() + "+framing";
  }

  @Override
  public String toString() {
    return name();
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    io.vertx.core.spi.transport.Transport impl = base.implementation();
    ChannelFactory<? extends ServerChannel> tcp = impl.serverChannelFactory(false);
    return new Inspected(impl, () -> inspected(tcp.newChannel()));
  }

  /** The base transport in every respect but the TCP server channel. */
  private record Inspected(
      io.vertx.core.spi.transport.Transport impl, ChannelFactory<? extends ServerChannel> server)
      implements io.vertx.core.spi.transport.Transport {
    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return domainSocket ? impl.serverChannelFactory(true) : server;
    }

    @Override
    public boolean supportsDomainSockets() {
      return impl.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return impl.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return impl.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return impl.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
      return impl.convert(address);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
      return impl.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return impl.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(
        int type, int threads, ThreadFactory factory, int ioRatio) {
      return impl.eventLoopGroup(type, threads, factory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return impl.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return impl.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return impl.channelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      impl.configure(channel, options);
    }

    @Override
    public void configure(
        ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      impl.configure(options, connectTimeout, domainSocket, bootstrap);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap b) {
      impl.configure(options, domainSocket, b);
    }
  }

  /** A TCP server channel of the base transport whose accepted connections are inspected. */
  private static ServerChannel inspected(ServerChannel server) {
    server.pipeline().addLast(ChildInspector.NAME, new ChildInspector());
    return server;
  }

  /**
   * Sits on the server channel in front of Netty's acceptor (which adds Vert.x's initializer to the
   * accepted connection, then registers it): each accepted connection gets its inspector first.
   */
  @ChannelHandler.Sharable
  private static final class ChildInspector extends ChannelInboundHandlerAdapter {
    static final String NAME = "portico-accept";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof SocketChannel child) {
        child.pipeline().addFirst(InspectingTransport.NAME, new FramingInspector(MAX_HEAD_BYTES));
      }
      ctx.fireChannelRead(msg);
    }
  }
}
