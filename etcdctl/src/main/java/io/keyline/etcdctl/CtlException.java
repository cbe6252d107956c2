package io.keyline.etcdctl;

/**
 * A command's way out with an exit status, the counterpart of etcdctl's ExitWithError.
 * Thrown instead of calling System.exit so that tests can run commands in-process.
 */
public final class CtlException extends RuntimeException {
    // etcdctl's exit statuses; scripts test for these numbers.
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_BAD_CONNECTION = 2;
    public static final int EXIT_INVALID_INPUT = 3;
    public static final int EXIT_BAD_FEATURE = 4;
    public static final int EXIT_INTERRUPTED = 5;
    public static final int EXIT_IO = 6;
    public static final int EXIT_BAD_ARGS = 128;

    private final int code;
    private final boolean printed;

    private CtlException(int code, String message, boolean printed) {
        super(message, null, false, false);
        this.code = code;
        this.printed = printed;
    }

    /** Prints "Error: message" on stderr and exits with code. */
    public static CtlException of(int code, String message) {
        return new CtlException(code, message, false);
    }

    /** Exits with code; whatever was to be said has already been printed. */
    public static CtlException silent(int code) {
        return new CtlException(code, null, true);
    }

    public static CtlException unsupportedFormat(String format) {
        return of(EXIT_BAD_FEATURE, format + " not supported as output format");
    }

    public int code() {
        return code;
    }

    public boolean alreadyPrinted() {
        return printed;
    }
}
