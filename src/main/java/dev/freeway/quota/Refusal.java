package dev.freeway.quota;

/** Why a reservation was denied: routing answers a full rule, a parking and a call too large differently. */
public enum Refusal {
    /** a rule has no room now; it frees up at the reservation's retryAt */
    NO_ROOM,
    /** the account or model is parked (see the reservation's parking) */
    PARKED,
    /** no window of a rule can ever hold this call: it is larger than the rule's whole limit, or a grant is over */
    NEVER_FITS
}
