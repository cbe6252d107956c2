package io.keyline.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.junit.jupiter.api.Test;

class CountersOnlyRatisMetricsTest {
    private final MetricRegistryInfo info = new MetricRegistryInfo("peer@group", "ratis", "server", "test");

    @Test
    void ratisLoadsKeylinesRegistriesThroughItsServiceLoader() {
        assertInstanceOf(CountersOnlyRatisMetrics.class, MetricRegistries.global());
    }

    @Test
    void countersCountAcrossLookupsAndTimersRecordNothing() {
        MetricRegistries registries = new CountersOnlyRatisMetrics();
        RatisMetricRegistry registry = registries.create(info);
        registry.counter("numInstallSnapshot").inc();
        registry.counter("numInstallSnapshot").inc(2);
        registry.counter("numInstallSnapshot").dec();
        assertSame(registry, registries.get(info).orElseThrow());
        assertEquals(2, registries.get(info).orElseThrow().counter("numInstallSnapshot").getCount());
        assertEquals(0, registry.timer("clientWriteRequest").time().stop());
    }
}
