package dev.freeway.quota;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one settle.lua call: per rule, from what was counted to what was used and the floor a provider's
 * figure sets, plus the ledger figures to add. Settle, release (a settlement to zero) and correct (floors only)
 * all build one.
 */
final class Settlement {

    private final String id;
    private final List<String> keys = new ArrayList<>();
    private final List<String> ruleArgs = new ArrayList<>();
    private UsageLedger.Write ledger;

    /** @param id the reservation's id: its lease member and the prefix of its rolling-window entries */
    Settlement(String id) {
        this.id = id;
    }

    /**
     * @param counted what the reservation counted on this rule
     * @param actual  what it should have counted
     * @param floor   the least the rule's count may be after this, from a provider's report; -1 for none
     */
    Settlement rule(CountedRule rule, long counted, long actual, long floor) {
        keys.add(rule.key());
        ruleArgs.addAll(List.of(rule.kind(), Long.toString(counted), Long.toString(actual), Long.toString(floor),
                Long.toString(rule.expiry()), Long.toString(rule.span())));
        return this;
    }

    Settlement ledger(UsageLedger.Write write) {
        this.ledger = write;
        return this;
    }

    boolean isEmpty() {
        return keys.isEmpty() && (ledger == null || ledger.fields.isEmpty());
    }

    /** Rule keys, then the ledger hour when there is one (see settle.lua). */
    List<String> keys() {
        List<String> all = new ArrayList<>(keys);
        if (ledger != null) {
            all.add(ledger.key);
        }
        return all;
    }

    List<String> args() {
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(keys.size()));
        args.add(id);
        if (ledger == null) {
            args.add("0");
            args.add("0");
        } else {
            ledger.appendArgs(args);
        }
        args.addAll(ruleArgs);
        return args;
    }
}
