package io.keyline.etcdctl;

/** What one command line printed and how it exited. */
record CtlRun(String stdout, String stderr, int code) {
    CtlRun map(java.util.function.UnaryOperator<String> f) {
        return new CtlRun(f.apply(stdout), f.apply(stderr), code);
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
