package dev.freeway.quota;

import java.time.Instant;

/** How a parking is written in Redis: {@code "<until ms> <kind> <reason>"}, the reason one line of at most 300. */
final class ParkingText {

    private static final int LONGEST_REASON = 300;

    private ParkingText() {
    }

    static String stored(QuotaStore.Parking parking) {
        String why = parking.reason() == null ? "" : parking.reason().replaceAll("\\s+", " ").trim();
        if (why.length() > LONGEST_REASON) {
            why = why.substring(0, LONGEST_REASON);
        }
        return parking.until().toEpochMilli() + " " + parking.kind().key() + " " + why;
    }

    /** Reads a stored parking; one written before kinds were stored counts as exhausted. */
    static QuotaStore.Parking read(String stored) {
        String[] parts = stored.split(" ", 3);
        Instant until = Instant.ofEpochMilli(Long.parseLong(parts[0]));
        ParkingKind kind = parts.length > 1 ? ParkingKind.parse(parts[1]) : null;
        if (kind == null) {
            return new QuotaStore.Parking(until, stored.indexOf(' ') < 0 ? "" : stored.substring(stored.indexOf(' ') + 1),
                    ParkingKind.EXHAUSTED);
        }
        return new QuotaStore.Parking(until, parts.length > 2 ? parts[2] : "", kind);
    }
}
