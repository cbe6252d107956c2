package io.keyline.etcdctl.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/** How etcd's Go client turns a failed gRPC call into the text etcdctl prints after "Error: ". */
public final class RpcErrors {
    /** The Go client's own text for a call whose deadline passed before the server answered. */
    public static final String DEADLINE = "context deadline exceeded";
    /** What Go's balancer reports when no connection to any endpoint could be made. */
    static final String NO_CONNECTION = "latest balancer error: all SubConns are in TransientFailure";

    private RpcErrors() {}

    /**
     * Server errors that etcd's client knows (all "etcdserver: ..." descriptions) print bare;
     * a passed deadline prints as Go's context error; anything else as Go's status text.
     */
    public static String clientText(StatusRuntimeException e) {
        Status s = e.getStatus();
        String desc = s.getDescription() == null ? "" : s.getDescription();
        if (desc.startsWith("etcdserver: ")) {
            return desc;
        }
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED || s.getCode() == Status.Code.CANCELLED) {
            return DEADLINE;
        }
        return goStatusText(s.getCode(), desc);
    }

    /** grpc-go's status error text: "rpc error: code = OutOfRange desc = ...". */
    public static String goStatusText(Status.Code code, String desc) {
        return "rpc error: code = " + goCodeName(code) + " desc = " + desc;
    }

    /** grpc-go's names of status codes: CamelCase, and CANCELLED spelled "Canceled". */
    static String goCodeName(Status.Code code) {
        if (code == Status.Code.CANCELLED) {
            return "Canceled";
        }
        if (code == Status.Code.OK) {
            return "OK";
        }
        StringBuilder sb = new StringBuilder();
        for (String part : code.name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
