package dev.freeway.provider.dialect;

import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/**
 * Z.AI / Zhipu GLM. Every error carries a business code as a string, {@code {"error":{"code":"1302",...}}}, and
 * the code decides; Z.AI sends no {@code Retry-After}. Coding Plan window codes put the reset time in the message
 * ("Your limit will reset at 2026-09-09 05:38:28"), a wall-clock time in Beijing.
 */
public final class ZaiDialect extends OpenAiDialect {

    /** Wait after 1302 (rate or concurrency cap): the caps are concurrency, which frees as calls finish. */
    public static final Duration DEFAULT_RATE_WAIT = Duration.ofSeconds(5);
    /** Wait after 1305 (service overloaded). */
    public static final Duration DEFAULT_OVERLOAD_WAIT = Duration.ofSeconds(30);
    /** Zone of the reset times in Coding Plan messages; observed as Beijing time, not documented. */
    public static final ZoneId DEFAULT_MESSAGE_ZONE = ZoneId.of("Asia/Shanghai");

    private static final Set<String> AUTH = Set.of("1000", "1001", "1002", "1003", "1004");
    private static final Set<String> PLAN_WINDOWS = Set.of("1308", "1310", "1316", "1317");

    private final Duration rateWait;
    private final Duration overloadWait;
    private final ZoneId messageZone;

    public ZaiDialect() {
        this(DEFAULT_RATE_WAIT, DEFAULT_OVERLOAD_WAIT, DEFAULT_MESSAGE_ZONE);
    }

    /**
     * @param rateWait     how long a 1302 keeps the model aside
     * @param overloadWait how long a 1305 keeps the model aside
     * @param messageZone  the zone in which reset times inside messages are written
     */
    public ZaiDialect(Duration rateWait, Duration overloadWait, ZoneId messageZone) {
        this.rateWait = Objects.requireNonNull(rateWait, "rateWait");
        this.overloadWait = Objects.requireNonNull(overloadWait, "overloadWait");
        this.messageZone = Objects.requireNonNull(messageZone, "messageZone");
    }

    @Override
    Outcome family(Failure f) {
        String code = f.error().code();
        if (code == null) {
            return null;
        }
        if (AUTH.contains(code)) {
            return f.outcome(Kind.CREDENTIALS_REJECTED, "Z.AI rejected the key (" + code + ")");
        }
        if (PLAN_WINDOWS.contains(code)) {
            // 5-hour and weekly plan windows run from first use, so they are rolling windows, not calendar ones.
            return f.outcome(Kind.EXHAUSTED, "Coding Plan usage window used up (" + code + ")")
                    .window("rolling").scope(Scope.ACCOUNT)
                    .until(DurationText.wallClockIn(f.error().message(), messageZone).orElse(null));
        }
        return switch (code) {
            case "1302" -> f.outcome(Kind.TRANSIENT, "Z.AI rate or concurrency limit reached (1302)")
                    .until(f.namedWaitOr(rateWait));
            case "1305" -> f.outcome(Kind.TRANSIENT, "Z.AI is overloaded (1305)").until(f.namedWaitOr(overloadWait));
            case "1113" -> f.outcome(Kind.EXHAUSTED, "the Z.AI account has no balance or resource package (1113)")
                    .window("credits").scope(Scope.ACCOUNT);
            case "1301" -> f.outcome(Kind.CONTENT_FILTERED, "Z.AI's moderation refused the content (1301)");
            case "1211" -> f.outcome(Kind.CLIENT_ERROR, "Z.AI does not know this model (1211)");
            default -> null;
        };
    }
}
