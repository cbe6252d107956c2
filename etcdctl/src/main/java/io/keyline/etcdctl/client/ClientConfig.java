package io.keyline.etcdctl.client;

import java.io.PrintStream;
import java.time.Duration;

/** What a connection needs from the global flags. */
public record ClientConfig(Duration dialTimeout, Duration commandTimeout, Duration keepAliveTime,
    Duration keepAliveTimeout, PrintStream err) {}
