package io.keyline.gateway;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses an incoming message over the limit with grpc-go's words, which etcd's clients see
 * from etcd. The transport's own cap sits higher, so that this check is the one that answers.
 */
final class MessageSizeLimit implements ServerInterceptor {
    private final long limit;

    MessageSizeLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                if (message instanceof MessageLite m && m.getSerializedSize() > limit) {
                    refused = true;
                    call.close(Status.RESOURCE_EXHAUSTED.withDescription(String.format(
                            "grpc: received message larger than max (%d vs. %d)", m.getSerializedSize(), limit)), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
