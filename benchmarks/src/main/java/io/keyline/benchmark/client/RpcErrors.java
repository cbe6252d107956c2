package io.keyline.benchmark.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The text a failed request counts under in the error distribution, as the Go client prints a gRPC
 * error: "rpc error: code = Unimplemented desc = ...", or etcd's own message for the errors its
 * client maps ("etcdserver: ...").
 */
public final class RpcErrors {
    private RpcErrors() {}

    public static String text(Throwable t) {
        Throwable c = unwrap(t);
        Status s = Status.fromThrowable(c);
        if (s.getCode() == Status.Code.UNKNOWN && !(c instanceof StatusRuntimeException)) {
            return String.valueOf(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
        }
        String desc = s.getDescription() == null ? "" : s.getDescription();
        if (desc.startsWith("etcdserver: ") || desc.startsWith("mvcc: ") || desc.startsWith("auth: ")) {
            return desc;
        }
        return "rpc error: code = " + goCode(s.getCode()) + " desc = " + desc;
    }

    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** grpc-go's code names are CamelCase ("DeadlineExceeded"); grpc-java's are UPPER_SNAKE. */
    private static String goCode(Status.Code code) {
        StringBuilder b = new StringBuilder();
        for (String part : code.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return code == Status.Code.OK ? "OK" : b.toString();
    }
}
