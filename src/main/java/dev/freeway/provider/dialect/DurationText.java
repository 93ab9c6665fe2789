package dev.freeway.provider.dialect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the ways providers write "wait this long" or "until then": Go durations (Groq's {@code 6m30.096s},
 * {@code 450ms}), protobuf durations (Gemini's {@code retryDelay} {@code "22s"}, {@code "0.5s"}), {@code Retry-After}
 * in seconds or as an HTTP date, phrases such as "try again after 1 seconds", and wall-clock times in a message
 * (Z.AI's "will reset at 2026-09-09 05:38:28"). Nothing here throws on bad input: a value that cannot be read is
 * empty. Calendar answers ("the next midnight in the provider's zone") are {@code catalog.Windows}'.
 */
public final class DurationText {

    private static final String GO_PART = "\\d+(?:\\.\\d+)?(?:ms|us|µs|ns|h|m|s)";
    private static final Pattern GO = Pattern.compile("(?:" + GO_PART + ")+");
    private static final Pattern GO_PIECE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");
    /** "try again in 6m30.096s", "Please retry in 37.09s", "try again after 2s". */
    private static final Pattern PHRASE_GO = Pattern.compile(
            "(?i)(?:try again|retry)\\s+(?:in|after)\\s+((?:" + GO_PART + ")+)(?![\\p{L}\\d])");
    /** "try again after 1 seconds", "retry in 5 minutes", "try again in 250 milliseconds". */
    private static final Pattern PHRASE_WORDS = Pattern.compile(
            "(?i)(?:try again|retry)\\s+(?:in|after)\\s+(\\d+(?:\\.\\d+)?)\\s*"
                    + "(milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h)\\b");
    private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    /** {@code yyyy-MM-dd HH:mm:ss}, with a space or a T between date and time. */
    private static final Pattern WALL_CLOCK = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})");

    private DurationText() {
    }

    /** The first {@code yyyy-MM-dd HH:mm:ss} wall-clock time in {@code text}, read in {@code zone}. */
    public static Optional<Instant> wallClockIn(String text, ZoneId zone) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher found = WALL_CLOCK.matcher(text);
        if (!found.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(found.group(1) + "T" + found.group(2)).atZone(zone).toInstant());
        } catch (DateTimeParseException impossibleDate) {
            return Optional.empty();
        }
    }

    /** A Go or protobuf duration such as {@code 1h2m3s}, {@code 6m30.096s}, {@code 7.66s}, {@code 450ms}, {@code 0.5s}. */
    public static Optional<Duration> go(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.strip();
        if (value.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (!GO.matcher(value).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher piece = GO_PIECE.matcher(value);
        while (piece.find()) {
            nanos = nanos.add(new BigDecimal(piece.group(1)).multiply(nanosPer(piece.group(2))));
        }
        return Optional.of(ofNanos(nanos));
    }

    /**
     * A reset or delay that is either a duration with a unit ({@code 2m59.56s}) or a bare number of seconds
     * ({@code 33011.38}), as rate-limit headers write it.
     */
    public static Optional<Duration> goOrSeconds(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.strip();
        if (SECONDS.matcher(value).matches()) {
            return Optional.of(ofNanos(new BigDecimal(value).multiply(NANOS_PER_SECOND)));
        }
        return go(value);
    }

    /** A {@code Retry-After} value: delay seconds or an HTTP date. The instant is never before {@code now}. */
    public static Optional<Instant> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (SECONDS.matcher(value).matches()) {
            return Optional.of(now.plus(ofNanos(new BigDecimal(value).multiply(NANOS_PER_SECOND))));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isBefore(now) ? now : at);
        } catch (RuntimeException notADate) {
            return Optional.empty();
        }
    }

    /** A {@code retry-after-ms} value (OpenAI): a number of milliseconds from now. */
    public static Optional<Instant> retryAfterMillis(String header, Instant now) {
        if (header == null || !SECONDS.matcher(header.strip()).matches()) {
            return Optional.empty();
        }
        return Optional.of(now.plus(ofNanos(new BigDecimal(header.strip()).multiply(nanosPer("ms")))));
    }

    /** The wait a message names: "Please try again in 6m30.096s", "try again after 1 seconds". */
    public static Optional<Duration> inMessage(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher go = PHRASE_GO.matcher(message);
        if (go.find()) {
            return go(go.group(1));
        }
        Matcher words = PHRASE_WORDS.matcher(message);
        if (words.find()) {
            BigDecimal amount = new BigDecimal(words.group(1));
            return Optional.of(ofNanos(amount.multiply(nanosPerWord(words.group(2)))));
        }
        return Optional.empty();
    }

    private static BigDecimal nanosPer(String unit) {
        return switch (unit) {
            case "h" -> NANOS_PER_SECOND.multiply(BigDecimal.valueOf(3600));
            case "m" -> NANOS_PER_SECOND.multiply(BigDecimal.valueOf(60));
            case "s" -> NANOS_PER_SECOND;
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "us", "µs" -> BigDecimal.valueOf(1_000L);
            default -> BigDecimal.ONE;
        };
    }

    private static BigDecimal nanosPerWord(String word) {
        String unit = word.toLowerCase(Locale.ROOT);
        if (unit.startsWith("ms") || unit.startsWith("milli")) {
            return nanosPer("ms");
        }
        if (unit.startsWith("m")) {
            return nanosPer("m");
        }
        if (unit.startsWith("h")) {
            return nanosPer("h");
        }
        return nanosPer("s");
    }

    /** Absurd values (a Retry-After of 10^20 seconds) are capped rather than overflowing. */
    private static Duration ofNanos(BigDecimal nanos) {
        BigDecimal whole = nanos.setScale(0, RoundingMode.HALF_UP);
        return whole.compareTo(MAX_NANOS) > 0 ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofNanos(whole.longValue());
    }
}
