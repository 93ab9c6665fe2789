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
        new Reading(context, Buffer.buffer(initialSize(request.getHeader(HttpHeaders.CONTENT_LENGTH)))).start();
    }

    /** One body as it comes, on the request's event loop: every callback below runs there, one at a time. */
    private final class Reading {
        private final RoutingContext context;
        private final Buffer body;
        private boolean ended;
        private boolean answered;
        private long deadline = -1;

        Reading(RoutingContext context, Buffer body) {
            this.context = context;
            this.body = body;
        }

        void start() {
            HttpServerRequest request = context.request();
            request.exceptionHandler(this::failed);
            request.endHandler(this::ended);
            request.handler(this::piece); // resumes the request: what already came may be handed over at once
            if (!ended && !answered) {
                deadline = vertx.setTimer(within.toMillis(), late -> refuse(new ApiError(408, "invalid_request_error",
                        "request_timeout", null, "The request body did not arrive within " + within.toSeconds()
                        + " s.")));
            }
        }

        private void piece(Buffer piece) {
            if (answered) {
                return;
            }
            if ((long) body.length() + piece.length() > maxBody) {
                refuse(HttpLayerErrors.tooLarge(maxBody));
                return;
            }
            body.appendBuffer(piece);
        }

        private void ended(Void end) {
            ended = true;
            vertx.cancelTimer(deadline);
            if (!answered) {
                context.setBody(body);
                context.next();
            }
        }

        /** A body the HTTP codec could not read (a chunk size that is no number): the client's fault. */
        private void failed(Throwable failure) {
            vertx.cancelTimer(deadline);
            if (!answered && !context.response().closed()) {
                answered = true;
                context.fail(400, failure);
            } // else the client left mid-body: there is nobody to answer, and nothing was done for it
        }

        private void refuse(ApiError error) {
            answered = true;
            vertx.cancelTimer(deadline);
            if (context.response().ended() || context.response().closed()) {
                return;
            }
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            // the request has not ended, so the server would keep the connection for the rest of its body
            HttpLayerErrors.write(context, error).onComplete(written -> context.request().connection().close());
        }
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
