package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.routing.ModelAddress;
import dev.freeway.routing.task.Task;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Freeway can route to, in OpenAI's list shape: {@code auto} and every {@code auto:<task>}, the configured
 * aliases (each with {@code alias_for}), then every model of every provider with an account.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    /** OpenAI's list carries a creation time; catalog models have none, so a fixed one is given. */
    private static final long CREATED = 1_735_689_600L;

    private final Pool pool;

    public ModelsResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    public Map<String, Object> list() {
        return Map.of("object", "list", "data", models());
    }

    @GET
    @Path("{id: .+}")
    public Map<String, Object> one(@PathParam("id") String id) {
        return models().stream().filter(m -> id.equals(m.get("id"))).findFirst()
                .orElseThrow(() -> ApiError.modelNotFound("The model `" + id + "` does not exist or no configured"
                        + " provider serves it."));
    }

    private List<Map<String, Object>> models() {
        List<Map<String, Object>> data = new ArrayList<>();
        data.add(routed(ModelAddress.AUTO, null));
        for (Task task : Task.values()) {
            data.add(routed(ModelAddress.AUTO + ":" + task.key(), null));
        }
        new TreeMap<>(pool.aliases()).forEach((alias, target) -> data.add(routed(alias, target)));
        for (ProviderPool provider : pool.all()) {
            if (!provider.accounts().isEmpty()) {
                provider.spec().models().values().forEach(model -> data.add(entry(provider.name() + "/" + model.id(),
                        provider.name(), model.contextWindow())));
            }
        }
        return data;
    }

    /** A name Freeway resolves itself: auto, a task alias, or a configured alias and what it stands for. */
    private static Map<String, Object> routed(String id, String aliasFor) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", CREATED);
        model.put("owned_by", "freeway");
        if (aliasFor != null) {
            model.put("alias_for", aliasFor);
        }
        return model;
    }

    private static Map<String, Object> entry(String id, String owner, int contextWindow) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", CREATED);
        model.put("owned_by", owner);
        model.put("context_window", contextWindow);
        return model;
    }
}
