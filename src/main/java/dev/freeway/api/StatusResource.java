package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import dev.freeway.status.Capacity;
import dev.freeway.status.StatusReport;
import dev.freeway.status.StatusService;
import dev.freeway.status.UsageRange;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.ZoneId;

/** The pool's state and capacity, as JSON, for operators (admin key required, see AccessPolicy). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final StatusService status;

    public StatusResource(StatusService status) {
        this.status = status;
    }

    /**
     * Per provider, account and rule: used, left, resets; parkings, circuits, keys; routing now; value; usage over
     * {@code range} (today, 7d, 30d) cut into hours or days of {@code tz} (UTC by default).
     */
    @GET
    @Path("status")
    public StatusReport status(@QueryParam("range") String range, @QueryParam("tz") String tz) {
        UsageRange over = UsageRange.named(range).orElseThrow(() -> ApiError.invalid("range", "Invalid value for"
                + " 'range': expected today, 7d or 30d."));
        ZoneId zone = UsageRange.zoneNamed(tz).orElseThrow(() -> ApiError.invalid("tz", "Invalid value for 'tz':"
                + " expected a time zone such as UTC, Europe/Oslo or +02:00."));
        return status.report(over, zone);
    }

    /** What the limit rules admit per day and month, per provider and in total. */
    @GET
    @Path("capacity")
    public Capacity.Report capacity() {
        return status.capacity();
    }
}
