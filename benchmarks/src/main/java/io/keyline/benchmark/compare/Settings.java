package io.keyline.benchmark.compare;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the two servers come from and how long to wait for them. Keyline members start through
 * {@code bin/keyline}, as a user starts them, so they run with its JVM defaults.
 */
record Settings(Path etcdBinary, Path keylineLauncher, Path keylineJar, String keylineJavaOpts,
                int readyTimeoutSecs, int runTimeoutSecs) {}
