package io.keyline.etcdctl.output;

import com.google.protobuf.MessageLite;
import io.keyline.etcdctl.CtlException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a command writes and in which format. Keys and values are raw bytes, as in etcd:
 * they are written unchanged, never decoded and re-encoded.
 */
public final class Output {
    private final Format format;
    private final boolean hex;
    private final PrintStream out;
    private final PrintStream err;

    public Output(Format format, boolean hex, PrintStream out, PrintStream err) {
        this.format = format;
        this.hex = hex;
        this.out = out;
        this.err = err;
    }

    public Format format() {
        return format;
    }

    public boolean hex() {
        return hex;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public void print(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    public void println(String s) {
        print(s + "\n");
    }

    public void printBytes(byte[] b) {
        out.write(b, 0, b.length);
    }

    public void errln(String s) {
        byte[] b = (s + "\n").getBytes(StandardCharsets.UTF_8);
        err.write(b, 0, b.length);
    }

    /** etcdctl's protobuf output: the message's wire bytes, no newline. */
    public void protobuf(MessageLite m) {
        printBytes(m.toByteArray());
    }

    /** etcdctl's json output: one line. */
    public void json(String json) {
        println(json);
    }

    public CtlException unsupported() {
        return CtlException.unsupportedFormat(format.flagName());
    }
}
