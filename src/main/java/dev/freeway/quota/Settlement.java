package dev.freeway.quota;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one settle.lua call (see the script): per rule, from what was counted to what was used and the
 * floor a provider's figure sets; the ledger figures to add; and a parking. Every end of a reservation (served,
 * failed, released), a give-up on a reserve whose answer never came, and a correction without a reservation each
 * build one, so each costs one round trip.
 */
final class Settlement {

    /** What the script does with the reservation's marker. */
    enum Mode {
        /** end an admitted reservation, once */
        END("s"),
        /** Freeway gave up waiting for the reserve: undo it if it ran, and make sure it never runs later */
        CANCEL("c"),
        /** no reservation: floors, ledger and parking only */
        FIGURES("f");

        final String code;

        Mode(String code) {
            this.code = code;
        }
    }

    private final String account;
    private final String id;
    private final Mode mode;
    private long tombstoneUntil;
    private final List<String> ruleKeys = new ArrayList<>();
    private final List<String> ruleArgs = new ArrayList<>();
    private UsageLedger.Write ledger;
    private String parkingKey;
    private QuotaStore.Parking parking;
    private final List<String> extraKeys = new ArrayList<>();
    private final List<String> extraArgs = new ArrayList<>();

    /** @param id the reservation's id: its marker, its lease member and the prefix of its rolling-window entries */
    Settlement(String account, String id, Mode mode) {
        this.account = account;
        this.id = id;
        this.mode = mode;
    }

    /** For {@link Mode#CANCEL}: the tombstone outlives the reserve's deadline (Redis ms). */
    Settlement tombstoneUntil(long redisMillis) {
        this.tombstoneUntil = redisMillis;
        return this;
    }

    /**
     * @param counted what the reservation counted on this rule
     * @param actual  what it should have counted
     * @param floor   the least the rule's count may be after this, from a provider's report; -1 for none
     */
    Settlement rule(CountedRule rule, long counted, long actual, long floor) {
        ruleKeys.add(rule.key());
        ruleArgs.addAll(List.of(rule.kind(), Long.toString(counted), Long.toString(actual), Long.toString(floor),
                Long.toString(rule.expiry()), Long.toString(rule.span())));
        return this;
    }

    Settlement ledger(UsageLedger.Write write) {
        this.ledger = write.fields.isEmpty() ? null : write;
        return this;
    }

    Settlement park(String key, QuotaStore.Parking parking) {
        this.parkingKey = key;
        this.parking = parking;
        return this;
    }

    /** One more bucket of a histogram, written with the ledger: the key expires at {@code expiresAt} (epoch ms). */
    Settlement histogram(String key, String field, long expiresAt) {
        return increment(key, field, 1, expiresAt);
    }

    /** A hash field grown by {@code by}, written with the ledger: the key expires at {@code expiresAt} (epoch ms). */
    Settlement increment(String key, String field, long by, long expiresAt) {
        extraKeys.add(key);
        extraArgs.addAll(List.of("h", field, Long.toString(by), Long.toString(expiresAt)));
        return this;
    }

    /**
     * An entry for a capped stream, written with the ledger: at most about {@code most} kept, the key living on.
     * Keeping none ({@code freeway.requests.keep=0}, or no time to keep them) writes nothing.
     */
    Settlement recent(String key, long most, String entry, long lifeMillis) {
        if (most <= 0 || lifeMillis <= 0) {
            return this;
        }
        extraKeys.add(key);
        extraArgs.addAll(List.of("x", Long.toString(most), entry, Long.toString(lifeMillis)));
        return this;
    }

    /** A sample folded into a moving average (the newest weighs 0.2), written with the ledger: the key living on. */
    Settlement average(String key, long sample, long lifeMillis) {
        extraKeys.add(key);
        extraArgs.addAll(List.of("a", Long.toString(sample), "", Long.toString(lifeMillis)));
        return this;
    }

    String account() {
        return account;
    }

    String what() {
        return mode == Mode.CANCEL ? "give-up" : mode == Mode.FIGURES ? "correction" : "settlement";
    }

    boolean isEmpty() {
        return mode == Mode.FIGURES && ruleKeys.isEmpty() && ledger == null && parking == null && extraKeys.isEmpty();
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>(ruleKeys.size() + 3);
        keys.add(QuotaKeys.marker(account, id));
        keys.addAll(ruleKeys);
        if (ledger != null) {
            keys.add(ledger.key);
        }
        if (parking != null) {
            keys.add(parkingKey);
        }
        keys.addAll(extraKeys);
        return keys;
    }

    List<String> args() {
        List<String> args = new ArrayList<>(ruleArgs.size() + 10);
        args.add(Integer.toString(ruleKeys.size()));
        args.add(id);
        args.add(mode.code);
        args.add(Long.toString(tombstoneUntil));
        if (ledger == null) {
            args.add("0");
            args.add("0");
        } else {
            ledger.appendArgs(args);
        }
        args.add(parking == null ? "0" : Long.toString(parking.until().toEpochMilli()));
        args.add(parking == null ? "" : ParkingText.stored(parking));
        args.add(Integer.toString(extraKeys.size()));
        args.addAll(extraArgs);
        args.addAll(ruleArgs);
        return args;
    }
}
