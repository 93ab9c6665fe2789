package dev.freeway.quota;

import java.util.List;

/**
 * The store's half of a reservation: which keys it counts and by how much, so that ending it corrects exactly those
 * keys even after the window has moved on, and the deadline its reserve script carried.
 *
 * @param account  the account's quota id
 * @param model    the model
 * @param zone     the provider's reset zone, which cuts its calendar windows
 * @param id       the reservation id (lease member, rolling-entry prefix, marker name)
 * @param rules    each with the amount it counts
 * @param price    credits of the actual usage are worked out at the price the estimate was
 * @param deadline Redis ms after which its reserve script changes nothing
 */
record Ticket(String account, String model, java.time.ZoneId zone, String id, List<CountedRule> rules,
              CreditPrice price, long deadline) {

    String marker() {
        return QuotaKeys.marker(account, id);
    }
}
