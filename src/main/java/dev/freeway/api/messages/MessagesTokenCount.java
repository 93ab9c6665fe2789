package dev.freeway.api.messages;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.quota.TokenEstimator;

/**
 * POST /v1/messages/count_tokens answered from Freeway's own estimate: the request translated as for routing
 * (without max_tokens), counted as the quota engine counts a prompt. No provider is asked.
 */
public final class MessagesTokenCount {

    private MessagesTokenCount() {
    }

    /** {@code {"input_tokens": n}}, as Anthropic answers. */
    public static ObjectNode count(ObjectNode request, TokenEstimator estimator) {
        long tokens = estimator.promptTokens(MessagesRequests.forCounting(request));
        return JsonNodeFactory.instance.objectNode().put("input_tokens", tokens);
    }
}
