package io.parallelrun.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Baseline for the stack choice: an HTTP-aware reverse proxy in plain Netty, one upstream connection per client
 * connection (keep-alive on both), HTTP codecs on both sides, no routing, mirror or metrics. Loopback only.
 *
 * <pre>java -cp parallel-run-bench.jar:parallel-run-proxy.jar io.parallelrun.bench.NettyPlainProxy LISTEN_PORT UPSTREAM_PORT</pre>
 */
public final class NettyPlainProxy implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel server;

  private NettyPlainProxy(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
  }

  /** Listens on 127.0.0.1 (port 0: any free port, see {@link #port()}) and forwards to 127.0.0.1:{@code upstream}. */
  public static NettyPlainProxy start(int listen, int upstream) throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    // One loop per CPU it may use (taskset in the benchmark), like the proxy's --event-loops default.
    int loops = Runtime.getRuntime().availableProcessors();
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(loops) : new NioEventLoopGroup(loops);
    try {
      Channel server = new ServerBootstrap().group(group)
          .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.AUTO_READ, false)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel in) {
              in.pipeline().addLast(new HttpServerCodec(), new Frontend(upstream, epoll));
            }
          }).bind("127.0.0.1", listen).sync().channel();
      return new NettyPlainProxy(group, server);
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.close().sync();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: NettyPlainProxy LISTEN_PORT UPSTREAM_PORT");
      System.exit(2);
    }
    NettyPlainProxy proxy = start(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
    System.out.println("plain Netty proxy on 127.0.0.1:" + proxy.port() + " epoll=" + Epoll.isAvailable());
  }

  static final class Frontend extends ChannelInboundHandlerAdapter {
    private final int upstream;
    private final boolean epoll;
    private Channel out;

    Frontend(int upstream, boolean epoll) {
      this.upstream = upstream;
      this.epoll = epoll;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel in = ctx.channel();
      new Bootstrap().group(in.eventLoop())
          .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpClientCodec(), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                  in.writeAndFlush(msg);
                }

                @Override
                public void channelInactive(ChannelHandlerContext c) {
                  in.close();
                }
              });
            }
          })
          .connect("127.0.0.1", upstream).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
              out = f.channel();
              in.config().setAutoRead(true);
              in.read();
            } else {
              in.close();
            }
          });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest req) req.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + upstream);
      if (out != null) {
        out.writeAndFlush(msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (out != null) out.close();
    }
  }
}
