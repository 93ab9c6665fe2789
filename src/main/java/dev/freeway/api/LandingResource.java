package dev.freeway.api;

import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.demo.DemoProviders;
import dev.freeway.security.AccessPolicy;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/**
 * {@code GET /}: a small page that says what this is and where to go (the dashboard, the models, a first curl), so
 * a newcomer opening the address in a browser is not met by a JSON 404. Open like health: it shows provider names
 * and how admin access works, never a key or a figure.
 */
@Path("/")
public class LandingResource {

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance landing(String base, List<String> providers, boolean demo, String admin);
    }

    private final Pool pool;
    private final DemoProviders demo;
    private final AccessPolicy access;

    public LandingResource(Pool pool, DemoProviders demo, AccessPolicy access) {
        this.pool = pool;
        this.demo = demo;
        this.access = access;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance landing(@Context UriInfo uri) {
        List<String> providers = pool.all().stream().filter(p -> !p.accounts().isEmpty()).map(ProviderPool::name)
                .toList();
        String base = uri.getBaseUri().toString().replaceAll("/+$", "");
        return Templates.landing(base, providers, demo.active(), access.adminAccessDescription());
    }
}
