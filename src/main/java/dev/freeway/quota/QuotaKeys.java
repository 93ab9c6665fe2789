package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;

/**
 * Redis key names, all of them. Every key of an account starts with {@code fw:{acct:<id>}:}: the braces make Redis
 * Cluster hash only {@code acct:<id>}, so all keys a script touches live in one slot and the scripts run unchanged on
 * a cluster. The account strategies' keys are public, for routing to hand to {@link SharedState}.
 */
public final class QuotaKeys {

    private QuotaKeys() {
    }

    static String account(String account) {
        if (account == null || account.isEmpty() || account.indexOf('{') >= 0 || account.indexOf('}') >= 0) {
            throw new IllegalArgumentException("account id must be non-empty and free of braces, was '" + account + "'");
        }
        return "fw:{acct:" + account + "}:";
    }

    /** A rule's key without its window stamp: {@code fw:{acct:groq:team-a}:q:requests:day:model:<model>}. */
    static String rule(String account, String model, LimitRule rule) {
        String key = account(account) + "q:" + rule.identity();
        return rule.scope() == LimitRule.Scope.MODEL ? key + ":" + model : key;
    }

    /** Parking of the whole account (model null) or of one model of it. */
    static String parking(String account, String model) {
        return model == null ? account(account) + "park" : account(account) + "park:" + model;
    }

    /** A reservation's marker: admitted and not yet ended, or given up on by Freeway (see reserve.lua). */
    static String marker(String account, String id) {
        return account(account) + "res:" + id;
    }

    /** An account's recent requests: a capped stream. */
    static String recent(String account) {
        return account(account) + "recent";
    }

    /** One hour of the requests clients were refused, with the reason for each provider. */
    static String refused(String hour) {
        return account(RequestLog.POOL) + "refused:" + hour;
    }

    /** One hour of the usage ledger, named by its UTC hour ({@code 2026112415}). */
    static String ledger(String account, String hour) {
        return account(account) + "ledger:" + hour;
    }

    /**
     * One UTC hour of the named clients' figures in this account's slot (or the pool's, for refusals): written in the
     * same script as the settlement or refusal it belongs to, so a client's figures cost no round trip of their own.
     */
    static String clients(String account, String hour) {
        return account(account) + "clients:" + hour;
    }

    /** A provider's round-robin position for one model, shared by every instance. */
    public static String rotation(String provider, String model) {
        return "fw:{rr:" + provider + "}:" + model;
    }

    /**
     * The account a conversation (a hash of its opening) sticks to at a provider: in the slot of the provider's
     * round-robin positions, so one script reads it and takes the turn. No "}:" after the tag, so it never meets a
     * position, whatever a model is called.
     */
    public static String stickiness(String provider, String conversation) {
        return "fw:{rr:" + provider + "}sticky:" + conversation;
    }

    /** An account's latency moving average for one model, in the account's slot. */
    public static String latency(String account, String model) {
        return account(account) + "lat:" + model;
    }
}
