package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import dev.freeway.config.FreewayConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Reads the body of every request to the API on the event loop, as its bytes arrive, before the request is handed
 * to a worker. The REST layer then reads it from memory. Without this the worker thread that serves the request
 * would first sit waiting for the client's bytes: one thread hand-off per request, and a worker held by every slow
 * client, so that a few hundred of them stopped the gateway. A body that grows past
 * {@code freeway.api.max-body-size} is refused with the same 413 as one that declares its size, and the rest of it
 * is not read; one that has not arrived within {@code quarkus.http.read-timeout} is a 408. Both close the connection.
 * HTTP/1.x only (what the SDKs speak): an HTTP/2 request's body is still read by its worker.
 */
@ApplicationScoped
public class RequestBodies {

    /** After the filters (the id, the size screen, the access check), before the REST layer's own route. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;

    private final long maxBody;
    private final Duration within;
    private final Vertx vertx;

    public RequestBodies(FreewayConfig config, Vertx vertx,
                         @ConfigProperty(name = "quarkus.http.read-timeout", defaultValue = "60s") Duration within) {
        this.maxBody = config.api().maxBodySize().asLongValue();
        this.within = within;
        this.vertx = vertx;
    }

    void routes(@Observes Router router) {
        router.post("/v1/*").order(ORDER).handler(this::read);
    }

    private void read(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
            context.next(); // the REST layer pauses an HTTP/2 request as it starts, and an ended one refuses that
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue(); // the client waits for it before it sends the body
        }
        Buffer body = Buffer.buffer(initialSize(request.getHeader(HttpHeaders.CONTENT_LENGTH)));
        boolean[] answered = {false};
        long deadline = vertx.setTimer(within.toMillis(), late -> {
            answered[0] = true;
            refuse(context, new ApiError(408, "invalid_request_error", "request_timeout", null,
                    "The request body did not arrive within " + within.toSeconds() + " s."));
        });
        request.exceptionHandler(failure -> {
            vertx.cancelTimer(deadline);
            if (!answered[0] && !context.response().closed()) {
                context.fail(failure);
            } // else the client left mid-body: there is nobody to answer, and nothing was done for it
        });
        request.handler(piece -> {
            if (answered[0]) {
                return;
            }
            if ((long) body.length() + piece.length() > maxBody) {
                answered[0] = true;
                vertx.cancelTimer(deadline);
                refuse(context, HttpLayerErrors.tooLarge(maxBody));
                return;
            }
            body.appendBuffer(piece);
        });
        request.endHandler(ended -> {
            vertx.cancelTimer(deadline);
            if (!answered[0]) {
                context.setBody(body);
                context.next();
            }
        });
    }

    private static void refuse(RoutingContext context, ApiError error) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        // the request has not ended, so the server would keep the connection for the rest of its body
        HttpLayerErrors.write(context, error).onComplete(written -> context.request().connection().close());
    }

    /** Room for the declared length (never more than the limit, whatever a client declares), else a small start. */
    private int initialSize(String contentLength) {
        try {
            return (int) Math.min(Math.max(Long.parseLong(contentLength.trim()), 0), Math.min(maxBody, 1 << 20));
        } catch (RuntimeException absentOrNotANumber) {
            return 1024;
        }
    }
}
