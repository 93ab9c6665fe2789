package dev.freeway.quota;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The store's half of an admitted reservation (its {@link Reservation#handle()}): which keys were counted and by how
 * much, so settle and release can correct exactly those keys even after the window has moved on.
 */
final class Ticket {

    final String account;
    final String model;
    final String id;
    /** Each with the amount it counted. */
    final List<CountedRule> rules;
    /** Credits of the actual usage are worked out at the price the estimate was. */
    final CreditPrice price;
    /** Settled or released once; a second call must not correct the counters again. */
    private final AtomicBoolean open = new AtomicBoolean(true);

    Ticket(String account, String model, String id, List<CountedRule> rules, CreditPrice price) {
        this.account = account;
        this.model = model;
        this.id = id;
        this.rules = rules;
        this.price = price;
    }

    boolean close() {
        return open.compareAndSet(true, false);
    }
}
