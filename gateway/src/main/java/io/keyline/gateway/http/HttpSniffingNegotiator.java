package io.keyline.gateway.http;

import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.netty.channel.ChannelHandler;
import io.netty.util.AsciiString;
import java.util.function.Supplier;

/** gRPC's plaintext negotiation with a {@link ProtocolSniffer} in front, for HTTP/1.1 on the same port. */
public final class HttpSniffingNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext = InternalProtocolNegotiators.serverPlaintext();
    private final Supplier<ChannelHandler> httpEndpoints;

    public HttpSniffingNegotiator(Supplier<ChannelHandler> httpEndpoints) {
        this.httpEndpoints = httpEndpoints;
    }

    @Override
    public AsciiString scheme() {
        return plaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new ProtocolSniffer(plaintext.newHandler(grpcHandler), httpEndpoints);
    }

    @Override
    public void close() {
        plaintext.close();
    }
}
