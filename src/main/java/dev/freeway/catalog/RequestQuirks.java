package dev.freeway.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a provider's dialect differs from OpenAI's on the way in, as data.
 *
 * @param dropParams         top-level request fields the provider rejects
 * @param dropMessageFields  fields of each message the provider rejects
 * @param forceParams        fields whose value the provider fixes, rewritten when the client sent them
 * @param toolChoices        the only {@code tool_choice} values it accepts (empty = any); others become "auto"
 * @param responseFormats    the only {@code response_format.type} values it accepts (empty = any);
 *                           json_schema falls back to json_object where that is accepted
 * @param nonStreaming       fields set on non-streaming calls of models whose id starts with a prefix
 */
public record RequestQuirks(Set<String> dropParams, Set<String> dropMessageFields, Map<String, Object> forceParams,
                            Set<String> toolChoices, Set<String> responseFormats, List<ModelParams> nonStreaming) {

    public static final RequestQuirks NONE = new RequestQuirks(Set.of(), Set.of(), Map.of(), Set.of(), Set.of(), List.of());

    /** Fields set for models whose id starts with {@code modelPrefix}. */
    public record ModelParams(String modelPrefix, Map<String, Object> params) {
    }
}
