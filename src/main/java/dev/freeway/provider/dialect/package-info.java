/**
 * Error dialects: what each provider family's answers mean for routing.
 * <p>
 * A caller resolves the dialect its catalog entry names and classifies every answer (the provider package asks
 * the {@code DialectLookup} bean, {@link dev.freeway.provider.dialect.DialectRegistry}, and never names a dialect):
 * <pre>{@code
 * FamilyDialect dialect = dialects.of(spec.dialect());                 // DialectName.GROQ, GEMINI, ...
 * ProviderClock clock = new ProviderClock(clock.instant(), spec.resetZone());
 * Outcome outcome = dialect.classify(answer, clock);                   // any status; 2xx bodies are inspected
 * RateLimitReport limits = dialect.report(answer, clock.now());        // rate-limit headers, on any answer
 * // streaming, for each SSE data payload:
 * if (dialect.isErrorEvent(data)) outcome = dialect.classify(new UpstreamAnswer(200, headers, data), clock);
 * Outcome last = dialect.inspect(json, text, clock);  // a body parsed once: content_filter, sensitive, network_error
 * }</pre>
 * Dialects are stateless and never throw on a body: HTML pages, empty and truncated bodies become outcomes.
 * Reasons are one line with anything that looks like a key redacted.
 */
package dev.freeway.provider.dialect;
