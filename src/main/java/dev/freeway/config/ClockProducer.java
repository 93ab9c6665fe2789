package dev.freeway.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one clock that request handling, quotas, parking, status and the demo simulators read: every such class is
 * handed this bean (or, in a unit test, a fixed or hand-moved clock) and never asks the system for the time. Only
 * elapsed times (latency) are measured with {@code System.nanoTime}, which no wall clock can move.
 */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
