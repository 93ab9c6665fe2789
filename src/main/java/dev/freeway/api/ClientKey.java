package dev.freeway.api;

import dev.freeway.api.responses.ClientIdentity;
import dev.freeway.security.AccessPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is asking, for what a client keeps (stored responses, cached answers): the client key it presented, never the
 * key itself.
 */
@ApplicationScoped
public class ClientKey {

    private final AccessPolicy policy;

    public ClientKey(AccessPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param authorization the Authorization header (a Bearer key), or null
     * @param apiKey        the x-api-key header (Anthropic's clients send it), or null
     */
    ClientIdentity of(String authorization, String apiKey) {
        return ClientIdentity.of(policy.clientKeysConfigured(), presented(authorization, apiKey));
    }

    /** The client key a request presented, as the access filter reads it: a Bearer token, else x-api-key. */
    static String presented(String authorization, String apiKey) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : apiKey;
    }
}
