package io.keyline.benchmark.compare;

import java.nio.file.Path;
import java.util.List;

/** Where the two servers come from and how long to wait for them. */
record Settings(Path etcdBinary, Path keylineJar, List<String> keylineJvmOpts, int readyTimeoutSecs,
                int runTimeoutSecs) {}
