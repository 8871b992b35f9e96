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

/**
 * Baseline for the stack choice: an HTTP-aware reverse proxy in plain Netty, one upstream connection per client
 * connection (keep-alive on both), HTTP codecs on both sides, no routing, mirror or metrics.
 * java -cp parallel-run-proxy.jar NettyPlainProxy.java LISTEN_PORT UPSTREAM_PORT
 */
public class NettyPlainProxy {
  public static void main(String[] args) throws Exception {
    int listen = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    boolean epoll = Epoll.isAvailable();
    // One loop per CPU it may use (taskset in the benchmark), like the proxy's --event-loops default.
    int loops = Runtime.getRuntime().availableProcessors();
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(loops) : new NioEventLoopGroup(loops);
    new ServerBootstrap().group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel in) {
            in.pipeline().addLast(new HttpServerCodec(), new Frontend(upstream, epoll));
          }
        }).bind("127.0.0.1", listen).sync();
    System.out.println("plain Netty proxy on 127.0.0.1:" + listen + " epoll=" + epoll);
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
