package dev.freeway.api;

import dev.freeway.status.Capacity;
import dev.freeway.status.StatusReport;
import dev.freeway.status.StatusService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The pool's state and capacity, as JSON, for operators (admin key required, see AccessPolicy). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final StatusService status;

    public StatusResource(StatusService status) {
        this.status = status;
    }

    /** Per provider, account and rule: used, left, resets; parkings, circuits, keys; routing now; usage; value. */
    @GET
    @Path("status")
    public StatusReport status() {
        return status.report();
    }

    /** What the limit rules admit per day and month, per provider and in total. */
    @GET
    @Path("capacity")
    public Capacity.Report capacity() {
        return status.capacity();
    }
}
