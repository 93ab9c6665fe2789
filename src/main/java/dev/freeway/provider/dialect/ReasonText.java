package dev.freeway.provider.dialect;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns what a provider said into one human line for {@code Outcome.reason}: secrets removed, whitespace folded,
 * length bounded. Provider bodies can echo keys ("Your account org-xxx &lt;ak-xxx&gt;"), so every reason passes here.
 */
public final class ReasonText {

    static final String REDACTED = "[redacted]";
    private static final int MAX_LENGTH = 300;
    private static final int MAX_PROVIDER_TEXT = 200;
    /** Bodies can be megabytes; only this much is ever looked at. */
    private static final int MAX_SCANNED = 2000;

    private static final List<Pattern> SECRETS = List.of(
            // Authorization header values
            Pattern.compile("(?i)\\bbearer\\s+[^\\s\"',;]+"),
            Pattern.compile("(?i)\\b(authorization|x-goog-api-key|api[-_]?key)\\s*[:=]\\s*[^\\s\"',;]+"),
            // Known key prefixes: OpenAI/OpenRouter/DashScope/Moonshot sk-, Moonshot ak-, Cerebras csk-, NVIDIA nvapi-
            Pattern.compile("\\b(?:sk|ak|csk|nvapi)-[A-Za-z0-9_\\-]{3,}"),
            // Groq gsk_, Hugging Face hf_, Google AIza
            Pattern.compile("\\bgsk_[A-Za-z0-9_]{3,}"),
            Pattern.compile("\\bhf_[A-Za-z0-9_]{3,}"),
            Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{6,}"));
    /** Long base64 or hex runs; redacted when they mix letters and digits (tokens, Z.AI's id.secret keys). */
    private static final Pattern LONG_RUN = Pattern.compile("[A-Za-z0-9+/=_\\-]{32,}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private ReasonText() {
    }

    /** One line: {@code summary}, then what the provider said when it said anything. Secrets are removed from both. */
    public static String line(String summary, String providerText) {
        String said = providerText == null ? "" : fold(redact(providerText));
        if (said.length() > MAX_PROVIDER_TEXT) {
            said = said.substring(0, MAX_PROVIDER_TEXT - 1) + "…";
        }
        String line = said.isEmpty() ? fold(redact(summary)) : fold(redact(summary)) + ": " + said;
        return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH - 1) + "…" : line;
    }

    /** The text with anything that looks like a key or an Authorization value replaced by {@value #REDACTED}. */
    public static String redact(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.length() > MAX_SCANNED ? text.substring(0, MAX_SCANNED) : text;
        for (Pattern secret : SECRETS) {
            clean = secret.matcher(clean).replaceAll(REDACTED);
        }
        return LONG_RUN.matcher(clean).replaceAll(run -> looksLikeToken(run.group()) ? REDACTED : run.group());
    }

    private static boolean looksLikeToken(String run) {
        return run.chars().anyMatch(Character::isDigit) && run.chars().anyMatch(Character::isLetter);
    }

    private static String fold(String text) {
        return WHITESPACE.matcher(text).replaceAll(" ").strip();
    }
}
