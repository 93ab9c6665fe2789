package dev.freeway.routing;

import dev.freeway.routing.task.Task;

import java.util.List;

/**
 * The candidates a request will try, in order, and those left out with the reason.
 *
 * @param candidates to try, best first
 * @param skipped    left out before any call: too small a window, missing capability, preserved, avoided, circuit open
 */
public record Plan(List<Candidate> candidates, List<Skip> skipped) {
}
