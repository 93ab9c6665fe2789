package dev.freeway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.freeway.deploy.ArtifactChecks.env;
import static dev.freeway.deploy.ArtifactChecks.knativeContainer;
import static dev.freeway.deploy.ArtifactChecks.knativeService;
import static dev.freeway.deploy.ArtifactChecks.lambdaEnvironment;
import static dev.freeway.deploy.ArtifactChecks.lambdaFunction;
import static dev.freeway.deploy.ArtifactChecks.volume;
import static dev.freeway.deploy.Artifacts.PROVIDER_KEY;
import static dev.freeway.deploy.Artifacts.SECRETS_MANAGER_REFERENCE;
import static dev.freeway.deploy.Artifacts.documents;
import static dev.freeway.deploy.Artifacts.kind;
import static dev.freeway.deploy.Artifacts.stringOrSub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serverless packaging and infrastructure files say what their READMEs promise: parsed as plain YAML (no
 * Quarkus boot), checked field by field, and each check shown to fail when its field is removed.
 */
class DeploymentArtifactsTest {

    private static final Pattern CONFIG_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    @Test
    void every_artifact_parses_as_yaml() throws IOException {
        Set<String> files = Artifacts.yamlAndJsonFiles();
        assertTrue(files.containsAll(Artifacts.ALL), "missing: " + missing(Artifacts.ALL, files));
        for (String file : files) {
            assertFalse(documents(file).isEmpty(), file + " holds no document");
        }
    }

    @Test
    void cloudformation_templates_use_long_form_intrinsics_only() throws IOException {
        for (String template : List.of(Artifacts.LAMBDA_TEMPLATE, Artifacts.ELASTICACHE)) {
            assertEquals(List.of(), Artifacts.tags(read(template)),
                    template + ": write Ref / Fn::Sub / ... in long form; a plain YAML reader drops !Tags silently");
        }
    }

    @Test
    void short_form_tag_detector_sees_cloudformation_tags() throws IOException {
        assertEquals(3, Artifacts.tags("A: !Ref B\nC: !GetAtt [D, E]\nF: !Sub 'x${G}'\nH: plain\n").size());
    }

    @Test
    void no_artifact_holds_a_literal_provider_key() throws IOException {
        for (String file : Artifacts.allFiles()) {
            Matcher key = PROVIDER_KEY.matcher(read(file));
            assertFalse(key.find(), () -> file + " holds text shaped like a provider key");
        }
    }

    @Test
    void key_detector_flags_provider_key_shapes() {
        for (String key : List.of("sk-proj-a1b2c3d4e5", "gsk_a1b2c3d4e5f6g7", "AIzaSyA1b2C3d4E5f6", "hf_aBcDeFgHiJkL")) {
            assertTrue(PROVIDER_KEY.matcher("api-key: " + key).find(), key);
        }
        for (String text : List.of("api-key: ${GROQ_API_KEY}", "task-runner-disk-usage", "gsk_...", "GROQ_API_KEY")) {
            assertFalse(PROVIDER_KEY.matcher(text).find(), text);
        }
    }

    @Nested
    class LambdaTemplate {

        private final ArrayNode template = documents(Artifacts.LAMBDA_TEMPLATE);

        @Test
        void sam_template_uses_the_serverless_transform() {
            ArtifactChecks.samTemplateUsesTheServerlessTransform(template);
        }

        @Test
        void lambda_jvm_variant_runs_the_quarkus_stream_handler_on_java() {
            ArtifactChecks.lambdaJvmVariantRunsTheQuarkusStreamHandlerOnJava(template);
        }

        @Test
        void lambda_native_variant_runs_on_provided_al2023() {
            ArtifactChecks.lambdaNativeVariantRunsOnProvidedAl2023(template);
        }

        @Test
        void lambda_jvm_variant_has_snapstart() {
            ArtifactChecks.lambdaJvmVariantHasSnapStart(template);
        }

        @Test
        void lambda_code_is_the_maven_function_zip() {
            ArtifactChecks.lambdaCodeIsTheMavenFunctionZip(template);
        }

        @Test
        void lambda_runs_in_the_vpc() {
            ArtifactChecks.lambdaRunsInTheVpc(template);
        }

        @Test
        void lambda_has_an_https_function_url() {
            ArtifactChecks.lambdaHasAnHttpsFunctionUrl(template);
        }

        @Test
        void lambda_secrets_come_from_secrets_manager() {
            ArtifactChecks.lambdaSecretsComeFromSecretsManager(template);
        }

        @Test
        void lambda_environment_selects_the_lambda_profile_and_tls_redis() {
            ArtifactChecks.lambdaEnvironmentSelectsTheLambdaProfileAndTlsRedis(template);
        }

        @Test
        void public_url_permissions_exist_only_when_auth_type_is_none() {
            JsonNode resources = template.get(0).path("Resources");
            List<String> permissions = new ArrayList<>();
            resources.fields().forEachRemaining(e -> {
                if ("AWS::Lambda::Permission".equals(e.getValue().path("Type").asText())) {
                    permissions.add(e.getKey());
                    assertEquals("IsPublicUrl", e.getValue().path("Condition").asText(), e.getKey());
                }
            });
            assertEquals(2, permissions.size(), "a public URL needs lambda:InvokeFunctionUrl and lambda:InvokeFunction");
            assertEquals("NONE", template.get(0).at("/Conditions/IsPublicUrl/Fn::Equals/1").asText());
            assertEquals("AWS_IAM", template.get(0).at("/Parameters/UrlAuthType/Default").asText(),
                    "private until Freeway's own client authentication is configured");
        }

        @Test
        void config_layer_holds_freeway_yaml_with_only_variables_the_template_sets() throws IOException {
            JsonNode layer = Artifacts.resource(template.get(0), "AWS::Serverless::LayerVersion").properties();
            Path dir = Artifacts.root().resolve("deployment/lambda").resolve(layer.path("ContentUri").asText()).normalize();
            assertEquals(Artifacts.root().resolve(Artifacts.LAMBDA_CONFIG), dir.resolve("freeway.yaml"),
                    "the layer's content is deployment/lambda/config/, mounted at /opt");
            assertTrue(lambdaFunction(template).properties().path("Layers").toString()
                    .contains(Artifacts.resource(template.get(0), "AWS::Serverless::LayerVersion").id()));

            Set<String> variables = providerKeyVariables(documents(Artifacts.LAMBDA_CONFIG).get(0));
            assertFalse(variables.isEmpty(), "the configuration names at least one provider key variable");
            JsonNode env = lambdaEnvironment(template);
            for (String variable : variables) {
                String value = stringOrSub(env.path(variable));
                assertTrue(value != null && SECRETS_MANAGER_REFERENCE.matcher(value).matches(),
                        variable + " is used by config/freeway.yaml, so the template sets it from Secrets Manager");
            }
        }

        @Test
        void lambda_template_defaults_name_what_the_elasticache_stack_creates() {
            JsonNode parameters = template.get(0).path("Parameters");
            JsonNode cache = documents(Artifacts.ELASTICACHE).get(0);
            String cacheName = cache.at("/Parameters/CacheName/Default").asText();
            JsonNode resources = cache.path("Resources");
            assertEquals(resources.at("/EndpointParameter/Properties/Name/Fn::Sub").asText().replace("${CacheName}", cacheName),
                    parameters.at("/RedisEndpoint/Default").asText(), "the endpoint's SSM parameter");
            assertEquals("AWS::SSM::Parameter::Value<String>", parameters.at("/RedisEndpoint/Type").asText());
            assertEquals(resources.at("/RedisSecret/Properties/Name/Fn::Sub").asText().replace("${CacheName}", cacheName),
                    parameters.at("/RedisSecretId/Default").asText(), "the cache password's secret");
        }
    }

    @Nested
    class KnativeService {

        private final ArrayNode service = documents(Artifacts.KNATIVE_SERVICE);

        @Test
        void knative_service_scales_to_zero() {
            ArtifactChecks.knativeServiceScalesToZero(service);
        }

        @Test
        void knative_service_has_a_concurrency_target() {
            ArtifactChecks.knativeServiceHasAConcurrencyTarget(service);
        }

        @Test
        void knative_probes_use_quarkus_health_endpoints() {
            ArtifactChecks.knativeProbesUseQuarkusHealthEndpoints(service);
        }

        @Test
        void knative_service_takes_keys_and_redis_from_secrets_and_config() {
            ArtifactChecks.knativeServiceTakesKeysAndRedisFromSecretsAndConfig(service);
        }

        @Test
        void knative_service_sets_resource_requests_and_limits() {
            ArtifactChecks.knativeServiceSetsResourceRequestsAndLimits(service);
        }

        @Test
        void knative_service_reads_freeway_yaml_and_redis_address_from_its_config_map() throws IOException {
            JsonNode container = knativeContainer(service);
            JsonNode configMap = kind(documents(Artifacts.KNATIVE_CONFIG), "ConfigMap");
            String name = configMap.at("/metadata/name").asText();
            Map<String, JsonNode> env = env(container);
            assertEquals(name, env.get("QUARKUS_REDIS_HOSTS").at("/valueFrom/configMapKeyRef/name").asText());
            String hostsKey = env.get("QUARKUS_REDIS_HOSTS").at("/valueFrom/configMapKeyRef/key").asText();
            assertTrue(configMap.at("/data/" + hostsKey).asText().startsWith("redis://"), "the ConfigMap has " + hostsKey);

            Path config = Path.of(env.get("FREEWAY_CONFIG").path("value").asText());
            JsonNode mount = null;
            for (JsonNode m : container.path("volumeMounts")) {
                if (config.getParent().equals(Path.of(m.path("mountPath").asText()))) {
                    mount = m;
                }
            }
            assertTrue(mount != null, "FREEWAY_CONFIG points into a mounted volume");
            JsonNode volume = volume(knativeService(service), mount.path("name").asText());
            assertEquals(name, volume.at("/configMap/name").asText(), "the mounted volume is the ConfigMap");
            String fileKey = config.getFileName().toString();
            JsonNode freewayYaml = Artifacts.parse(configMap.at("/data/" + fileKey).asText()).get(0);
            assertFalse(providerKeyVariables(freewayYaml).isEmpty(), "freeway.yaml names provider key variables");
        }

        @Test
        void knative_pods_carry_the_label_the_redis_network_policy_admits() {
            JsonNode podLabels = knativeService(service).at("/spec/template/metadata/labels");
            JsonNode policy = kind(documents(Artifacts.K8S_REDIS), "NetworkPolicy");
            JsonNode admitted = policy.at("/spec/ingress/0/from/0/podSelector/matchLabels");
            assertFalse(admitted.isEmpty());
            admitted.fields().forEachRemaining(e -> assertEquals(e.getValue(), podLabels.path(e.getKey()),
                    "Freeway's pods carry " + e.getKey() + ", so Redis admits them"));
        }
    }

    @Nested
    class ElastiCacheTemplate {

        private final ArrayNode template = documents(Artifacts.ELASTICACHE);

        @Test
        void elasticache_creates_a_serverless_cache_in_the_given_subnets() {
            ArtifactChecks.elasticacheCreatesAServerlessCacheInTheGivenSubnets(template);
        }

        @Test
        void elasticache_admits_only_the_function_security_group_on_6379() {
            ArtifactChecks.elasticacheAdmitsOnlyTheFunctionSecurityGroupOn6379(template);
        }

        @Test
        void elasticache_requires_a_generated_password() {
            ArtifactChecks.elasticacheRequiresAGeneratedPassword(template);
        }

        @Test
        void elasticache_outputs_the_endpoint() {
            ArtifactChecks.elasticacheOutputsTheEndpoint(template);
        }
    }

    @Nested
    class KubernetesRedis {

        private final ArrayNode redis = documents(Artifacts.K8S_REDIS);

        @Test
        void kubernetes_redis_password_comes_from_a_secret() {
            ArtifactChecks.kubernetesRedisPasswordComesFromASecret(redis);
        }

        @Test
        void kubernetes_redis_keeps_no_data_by_default() {
            ArtifactChecks.kubernetesRedisKeepsNoDataByDefault(redis);
        }

        @Test
        void kubernetes_redis_has_a_service_on_6379() {
            ArtifactChecks.kubernetesRedisHasAServiceOn6379(redis);
        }

        @Test
        void kubernetes_redis_admits_only_freeway_pods_on_6379() {
            ArtifactChecks.kubernetesRedisAdmitsOnlyFreewayPodsOn6379(redis);
        }

        @Test
        void persistent_variant_differs_from_the_default_only_in_storage() {
            ArrayNode persistent = documents(Artifacts.K8S_REDIS_PERSISTENT);
            JsonNode claim = kind(persistent, "PersistentVolumeClaim");
            JsonNode deployment = kind(persistent, "Deployment");
            assertEquals(claim.at("/metadata/name").asText(),
                    volume(deployment, "data").at("/persistentVolumeClaim/claimName").asText(), "/data on the claim");
            ArtifactChecks.kubernetesRedisPasswordComesFromASecret(persistent);

            JsonNode expected = kind(redis, "Deployment").deepCopy();
            ((ObjectNode) volume(expected, "data")).removeAll()
                    .put("name", "data").putObject("persistentVolumeClaim").put("claimName", claim.at("/metadata/name").asText());
            for (JsonNode e : expected.at("/spec/template/spec/containers/0/env")) {
                if ("REDIS_APPENDONLY".equals(e.path("name").asText())) {
                    ((ObjectNode) e).put("value", "yes");
                }
            }
            assertEquals(expected, deployment, "only the data volume and REDIS_APPENDONLY differ from redis.yaml");
        }
    }

    /** One check, one artefact and the change that must make the check fail. */
    record Breakage(String check, String file, Consumer<ArrayNode> verify, Consumer<ArrayNode> change, String what) {
        @Override
        public String toString() {
            return check + " fails when " + what;
        }
    }

    static Stream<Breakage> breakages() {
        String fn = "/0/Resources/FreewayFunction";
        String env = fn + "/Properties/Environment/Variables";
        String ksvc = "/0/spec/template";
        String container = ksvc + "/spec/containers/0";
        String cache = "/0/Resources/Cache/Properties";
        String redisContainer = "/0/spec/template/spec/containers/0";
        return Stream.of(
                lambda("sam_template_uses_the_serverless_transform", ArtifactChecks::samTemplateUsesTheServerlessTransform,
                        Artifacts.remove("/0/Transform"), "Transform is removed"),
                lambda("lambda_jvm_variant_runs_the_quarkus_stream_handler_on_java",
                        ArtifactChecks::lambdaJvmVariantRunsTheQuarkusStreamHandlerOnJava,
                        Artifacts.remove(fn + "/Properties/Handler"), "Handler is removed"),
                lambda("lambda_jvm_variant_runs_the_quarkus_stream_handler_on_java",
                        ArtifactChecks::lambdaJvmVariantRunsTheQuarkusStreamHandlerOnJava,
                        Artifacts.remove(fn + "/Properties/Runtime"), "Runtime is removed"),
                lambda("lambda_native_variant_runs_on_provided_al2023", ArtifactChecks::lambdaNativeVariantRunsOnProvidedAl2023,
                        Artifacts.replace(fn + "/Properties/Runtime", "java21"), "Runtime is java21 for both variants"),
                lambda("lambda_jvm_variant_has_snapstart", ArtifactChecks::lambdaJvmVariantHasSnapStart,
                        Artifacts.remove(fn + "/Properties/SnapStart"), "SnapStart is removed"),
                lambda("lambda_jvm_variant_has_snapstart", ArtifactChecks::lambdaJvmVariantHasSnapStart,
                        Artifacts.remove(fn + "/Properties/AutoPublishAlias"), "AutoPublishAlias is removed"),
                lambda("lambda_code_is_the_maven_function_zip", ArtifactChecks::lambdaCodeIsTheMavenFunctionZip,
                        Artifacts.replace(fn + "/Properties/CodeUri", "../../target/freeway.jar"), "CodeUri is not the zip"),
                lambda("lambda_runs_in_the_vpc", ArtifactChecks::lambdaRunsInTheVpc,
                        Artifacts.remove(fn + "/Properties/VpcConfig"), "VpcConfig is removed"),
                lambda("lambda_runs_in_the_vpc", ArtifactChecks::lambdaRunsInTheVpc,
                        Artifacts.remove(fn + "/Properties/VpcConfig/SecurityGroupIds"), "SecurityGroupIds is removed"),
                lambda("lambda_has_an_https_function_url", ArtifactChecks::lambdaHasAnHttpsFunctionUrl,
                        Artifacts.remove("/0/Resources/FreewayUrl"), "the function URL is removed"),
                lambda("lambda_has_an_https_function_url", ArtifactChecks::lambdaHasAnHttpsFunctionUrl,
                        Artifacts.remove("/0/Outputs/FreewayUrl"), "the URL output is removed"),
                lambda("lambda_secrets_come_from_secrets_manager", ArtifactChecks::lambdaSecretsComeFromSecretsManager,
                        Artifacts.remove(env + "/QUARKUS_REDIS_PASSWORD"), "the Redis password is removed"),
                lambda("lambda_secrets_come_from_secrets_manager", ArtifactChecks::lambdaSecretsComeFromSecretsManager,
                        Artifacts.replace(env + "/GROQ_API_KEY", "gsk_literal"), "a key is written in the template"),
                lambda("lambda_secrets_come_from_secrets_manager", ArtifactChecks::lambdaSecretsComeFromSecretsManager,
                        Artifacts.replace(env + "/GROQ_API_KEY", "{{resolve:ssm-secure:/freeway/groq}}"),
                        "a key comes from ssm-secure"),
                lambda("lambda_environment_selects_the_lambda_profile_and_tls_redis",
                        ArtifactChecks::lambdaEnvironmentSelectsTheLambdaProfileAndTlsRedis,
                        Artifacts.remove(env + "/QUARKUS_PROFILE"), "QUARKUS_PROFILE is removed"),
                lambda("lambda_environment_selects_the_lambda_profile_and_tls_redis",
                        ArtifactChecks::lambdaEnvironmentSelectsTheLambdaProfileAndTlsRedis,
                        Artifacts.replace(env + "/QUARKUS_REDIS_HOSTS", "redis://cache:6379"), "Redis is plain text"),
                knative("knative_service_scales_to_zero", ArtifactChecks::knativeServiceScalesToZero,
                        Artifacts.remove(ksvc + "/metadata/annotations/autoscaling.knative.dev~1min-scale"),
                        "min-scale is removed"),
                knative("knative_service_has_a_concurrency_target", ArtifactChecks::knativeServiceHasAConcurrencyTarget,
                        both(Artifacts.remove(ksvc + "/spec/containerConcurrency"),
                                Artifacts.remove(ksvc + "/metadata/annotations/autoscaling.knative.dev~1target")),
                        "containerConcurrency and the target annotation are removed"),
                knative("knative_probes_use_quarkus_health_endpoints", ArtifactChecks::knativeProbesUseQuarkusHealthEndpoints,
                        Artifacts.remove(container + "/readinessProbe"), "the readiness probe is removed"),
                knative("knative_probes_use_quarkus_health_endpoints", ArtifactChecks::knativeProbesUseQuarkusHealthEndpoints,
                        Artifacts.replace(container + "/livenessProbe/httpGet/path", "/health"), "liveness is on another path"),
                knative("knative_service_takes_keys_and_redis_from_secrets_and_config",
                        ArtifactChecks::knativeServiceTakesKeysAndRedisFromSecretsAndConfig,
                        Artifacts.remove(container + "/envFrom"), "envFrom is removed"),
                knative("knative_service_takes_keys_and_redis_from_secrets_and_config",
                        ArtifactChecks::knativeServiceTakesKeysAndRedisFromSecretsAndConfig,
                        Artifacts.remove(container + "/env/2/valueFrom"), "the Redis password's secretKeyRef is removed"),
                knative("knative_service_sets_resource_requests_and_limits",
                        ArtifactChecks::knativeServiceSetsResourceRequestsAndLimits,
                        Artifacts.remove(container + "/resources/limits"), "limits are removed"),
                elasticache("elasticache_creates_a_serverless_cache_in_the_given_subnets",
                        ArtifactChecks::elasticacheCreatesAServerlessCacheInTheGivenSubnets,
                        Artifacts.remove(cache + "/SecurityGroupIds"), "the cache's security group is removed"),
                elasticache("elasticache_creates_a_serverless_cache_in_the_given_subnets",
                        ArtifactChecks::elasticacheCreatesAServerlessCacheInTheGivenSubnets,
                        Artifacts.remove("/0/Resources/Cache"), "the cache is removed"),
                elasticache("elasticache_admits_only_the_function_security_group_on_6379",
                        ArtifactChecks::elasticacheAdmitsOnlyTheFunctionSecurityGroupOn6379,
                        Artifacts.remove("/0/Resources/CacheSecurityGroup/Properties/SecurityGroupIngress/0/SourceSecurityGroupId"),
                        "the ingress rule names no source group"),
                elasticache("elasticache_admits_only_the_function_security_group_on_6379",
                        ArtifactChecks::elasticacheAdmitsOnlyTheFunctionSecurityGroupOn6379,
                        Artifacts.remove("/0/Outputs/FunctionSecurityGroupId"), "the function's group is not an output"),
                elasticache("elasticache_requires_a_generated_password", ArtifactChecks::elasticacheRequiresAGeneratedPassword,
                        Artifacts.remove(cache + "/UserGroupId"), "the user group is removed"),
                elasticache("elasticache_requires_a_generated_password", ArtifactChecks::elasticacheRequiresAGeneratedPassword,
                        Artifacts.remove("/0/Resources/RedisSecret/Properties/GenerateSecretString"),
                        "the password is not generated"),
                elasticache("elasticache_outputs_the_endpoint", ArtifactChecks::elasticacheOutputsTheEndpoint,
                        Artifacts.remove("/0/Outputs/Endpoint"), "the endpoint output is removed"),
                redis("kubernetes_redis_password_comes_from_a_secret", ArtifactChecks::kubernetesRedisPasswordComesFromASecret,
                        Artifacts.remove(redisContainer + "/env/0/valueFrom"), "REDIS_PASSWORD has no secretKeyRef"),
                redis("kubernetes_redis_password_comes_from_a_secret", ArtifactChecks::kubernetesRedisPasswordComesFromASecret,
                        Artifacts.remove(redisContainer + "/args"), "Redis starts without requirepass"),
                redis("kubernetes_redis_keeps_no_data_by_default", ArtifactChecks::kubernetesRedisKeepsNoDataByDefault,
                        Artifacts.replace(redisContainer + "/env/2/value", "yes"), "the append-only file is on"),
                redis("kubernetes_redis_has_a_service_on_6379", ArtifactChecks::kubernetesRedisHasAServiceOn6379,
                        Artifacts.remove("/1"), "the Service is removed"),
                redis("kubernetes_redis_has_a_service_on_6379", ArtifactChecks::kubernetesRedisHasAServiceOn6379,
                        Artifacts.remove("/1/spec/ports/0"), "the Service has no port"),
                redis("kubernetes_redis_admits_only_freeway_pods_on_6379",
                        ArtifactChecks::kubernetesRedisAdmitsOnlyFreewayPodsOn6379,
                        Artifacts.remove("/2/spec/ingress/0/from"), "the rule admits everyone"),
                redis("kubernetes_redis_admits_only_freeway_pods_on_6379",
                        ArtifactChecks::kubernetesRedisAdmitsOnlyFreewayPodsOn6379,
                        Artifacts.remove("/2/spec/ingress/0/ports"), "the rule admits every port"),
                redis("kubernetes_redis_admits_only_freeway_pods_on_6379",
                        ArtifactChecks::kubernetesRedisAdmitsOnlyFreewayPodsOn6379,
                        Artifacts.remove("/2"), "the NetworkPolicy is removed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void each_check_fails_when_its_field_is_removed(Breakage breakage) {
        ArrayNode original = documents(breakage.file());
        breakage.verify().accept(original);
        ArrayNode broken = Artifacts.changed(original, breakage.change());
        assertThrows(AssertionError.class, () -> breakage.verify().accept(broken),
                breakage.check() + " must fail when " + breakage.what());
    }

    private static Breakage lambda(String check, Consumer<ArrayNode> verify, Consumer<ArrayNode> change, String what) {
        return new Breakage(check, Artifacts.LAMBDA_TEMPLATE, verify, change, what);
    }

    private static Breakage knative(String check, Consumer<ArrayNode> verify, Consumer<ArrayNode> change, String what) {
        return new Breakage(check, Artifacts.KNATIVE_SERVICE, verify, change, what);
    }

    private static Breakage elasticache(String check, Consumer<ArrayNode> verify, Consumer<ArrayNode> change, String what) {
        return new Breakage(check, Artifacts.ELASTICACHE, verify, change, what);
    }

    private static Breakage redis(String check, Consumer<ArrayNode> verify, Consumer<ArrayNode> change, String what) {
        return new Breakage(check, Artifacts.K8S_REDIS, verify, change, what);
    }

    private static Consumer<ArrayNode> both(Consumer<ArrayNode> first, Consumer<ArrayNode> second) {
        return first.andThen(second);
    }

    /** The ${VAR} names used as api-key values under freeway.providers.*.accounts. */
    private static Set<String> providerKeyVariables(JsonNode freewayYaml) {
        Set<String> variables = new TreeSet<>();
        JsonNode providers = freewayYaml.at("/freeway/providers");
        assertTrue(providers.isObject() && !providers.isEmpty(), "freeway.providers is configured");
        providers.forEach(provider -> provider.path("accounts").forEach(account -> {
            Matcher variable = CONFIG_VARIABLE.matcher(account.path("api-key").asText());
            assertTrue(variable.matches(), "api-key is a ${VARIABLE}, never a key: " + account.path("id").asText());
            variables.add(variable.group(1));
        }));
        return variables;
    }

    private static String read(String relative) throws IOException {
        return Files.readString(Artifacts.root().resolve(relative));
    }

    private static List<String> missing(List<String> expected, Set<String> found) {
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(found);
        return missing;
    }
}
