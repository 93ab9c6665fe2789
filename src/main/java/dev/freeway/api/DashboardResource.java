package dev.freeway.api;

import dev.freeway.security.AccessPolicy;
import dev.freeway.status.DashboardView;
import dev.freeway.status.StatusService;
import dev.freeway.status.UsageRange;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.util.Optional;

/**
 * The live dashboard: one server-rendered page (Qute, inline CSS and SVG, a little inline script for the time zone
 * switch and the recent requests' filters, no network; refreshes itself every 10 s),
 * and its login form, which trades the admin key for an HttpOnly, SameSite=Strict cookie holding an HMAC, never the
 * key. The access filter guards {@code /dashboard}; the login form is open.
 */
@Path("/dashboard")
public class DashboardResource {

    static final String WRONG_KEY = "That is not the admin key of this gateway.";

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance dashboard(DashboardView view);

        static native TemplateInstance login(String message, boolean canLogIn);
    }

    private final StatusService status;
    private final AccessPolicy access;

    public DashboardResource(StatusService status, AccessPolicy access) {
        this.status = status;
        this.access = access;
    }

    /**
     * @param range today (by hour, the default), 7d or 30d (by day)
     * @param tz    the one time zone every chart and time of the page is shown in: UTC by default; the page's switch
     *              sets the viewer's own
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response dashboard(@QueryParam("range") String range, @QueryParam("tz") String tz) {
        DashboardView view = status.dashboard(access.adminOpen(), UsageRange.parse(range), UsageRange.zone(tz));
        return Response.ok(Templates.dashboard(view)).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response loginForm() {
        if (access.adminOpen()) {
            return Response.seeOther(URI.create("/dashboard")).build();
        }
        String message = access.adminKeyConfigured() ? null : access.adminAccessDescription();
        return Response.ok(Templates.login(message, access.adminKeyConfigured())).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response logIn(@FormParam("key") String key, @Context UriInfo uri,
                          @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
        Optional<String> session = access.login(key);
        if (session.isEmpty()) {
            String message = access.adminKeyConfigured() ? WRONG_KEY : access.adminAccessDescription();
            return Response.status(401).entity(Templates.login(message, access.adminKeyConfigured())).build();
        }
        boolean https = "https".equalsIgnoreCase(forwardedProto) || "https".equals(uri.getRequestUri().getScheme());
        NewCookie cookie = new NewCookie.Builder(access.cookieName()).value(session.get()).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure(https).maxAge((int) access.sessionLife().toSeconds())
                .build();
        return Response.seeOther(URI.create("/dashboard")).cookie(cookie).build();
    }

    @POST
    @Path("logout")
    public Response logOut() {
        NewCookie expired = new NewCookie.Builder(access.cookieName()).value("").path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.seeOther(URI.create("/dashboard/login")).cookie(expired).build();
    }
}
