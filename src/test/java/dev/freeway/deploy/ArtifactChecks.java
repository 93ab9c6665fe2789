package dev.freeway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.freeway.deploy.Artifacts.Resource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.freeway.deploy.Artifacts.SECRETS_MANAGER_REFERENCE;
import static dev.freeway.deploy.Artifacts.ifBranches;
import static dev.freeway.deploy.Artifacts.isRef;
import static dev.freeway.deploy.Artifacts.kind;
import static dev.freeway.deploy.Artifacts.resource;
import static dev.freeway.deploy.Artifacts.stringOrSub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The facts each artefact must state, one method per fact. Each takes the file's documents, so a test can run it
 * on the real file and on a copy with one field removed, and see it fail there.
 */
final class ArtifactChecks {

    static final String QUARKUS_STREAM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    private ArtifactChecks() {
    }

    // ---- deployment/lambda/template.yaml

    static Resource lambdaFunction(ArrayNode template) {
        return resource(template.get(0), "AWS::Serverless::Function");
    }

    static JsonNode lambdaEnvironment(ArrayNode template) {
        JsonNode variables = lambdaFunction(template).properties().path("Environment").path("Variables");
        assertTrue(variables.isObject(), "the function has Environment.Variables");
        return variables;
    }

    static void samTemplateUsesTheServerlessTransform(ArrayNode template) {
        assertEquals("AWS::Serverless-2016-10-31", template.get(0).path("Transform").asText(),
                "SAM templates need Transform: AWS::Serverless-2016-10-31");
    }

    static void lambdaJvmVariantRunsTheQuarkusStreamHandlerOnJava(ArrayNode template) {
        JsonNode properties = lambdaFunction(template).properties();
        JsonNode[] runtime = ifBranches(properties.path("Runtime"), "IsNative", "Runtime");
        assertTrue(runtime[1].asText().matches("java(17|21|25)"), "JVM runtime is a managed Java runtime: " + runtime[1]);
        JsonNode[] handler = ifBranches(properties.path("Handler"), "IsNative", "Handler");
        assertEquals(QUARKUS_STREAM_HANDLER, handler[1].asText(), "JVM handler");
    }

    static void lambdaNativeVariantRunsOnProvidedAl2023(ArrayNode template) {
        JsonNode properties = lambdaFunction(template).properties();
        assertEquals("provided.al2023", ifBranches(properties.path("Runtime"), "IsNative", "Runtime")[0].asText());
        assertFalse(ifBranches(properties.path("Handler"), "IsNative", "Handler")[0].asText().isBlank(),
                "Lambda requires a Handler even where the custom runtime ignores it");
        assertEquals("native", template.get(0).at("/Conditions/IsNative/Fn::Equals/1").asText(),
                "IsNative is Variant == native");
    }

    static void lambdaJvmVariantHasSnapStart(ArrayNode template) {
        JsonNode properties = lambdaFunction(template).properties();
        JsonNode[] snapStart = ifBranches(properties.path("SnapStart"), "IsJvm", "SnapStart");
        assertEquals("PublishedVersions", snapStart[0].path("ApplyOn").asText(), "SnapStart applies to published versions");
        assertFalse(properties.path("AutoPublishAlias").asText().isBlank(),
                "SnapStart snapshots published versions only: AutoPublishAlias publishes one on every deploy");
    }

    static void lambdaCodeIsTheMavenFunctionZip(ArrayNode template) {
        Resource function = lambdaFunction(template);
        String codeUri = function.properties().path("CodeUri").asText();
        assertEquals(Artifacts.root().resolve("target/function.zip"),
                Artifacts.root().resolve("deployment/lambda").resolve(codeUri).normalize(),
                "CodeUri is the zip the Maven lambda profile writes");
        assertTrue(function.node().path("Metadata").path("SkipBuild").asBoolean(false),
                "sam build must copy the prebuilt zip, not try to build the function");
    }

    static void lambdaRunsInTheVpc(ArrayNode template) {
        JsonNode vpc = lambdaFunction(template).properties().path("VpcConfig");
        assertTrue(isRef(vpc.path("SubnetIds"), "SubnetIds"), "VpcConfig.SubnetIds comes from the SubnetIds parameter");
        assertEquals("List<AWS::EC2::Subnet::Id>", template.get(0).at("/Parameters/SubnetIds/Type").asText());
        assertTrue(vpc.path("SecurityGroupIds").isArray() && !vpc.path("SecurityGroupIds").isEmpty(),
                "VpcConfig.SecurityGroupIds names the group the cache admits");
    }

    static void lambdaHasAnHttpsFunctionUrl(ArrayNode template) {
        Resource url = resource(template.get(0), "AWS::Lambda::Url");
        assertTrue(isRef(url.properties().path("TargetFunctionArn"), lambdaFunction(template).id() + ".Alias"),
                "the URL targets the function's published alias (where SnapStart applies)");
        assertNotNull(url.properties().get("AuthType"), "a function URL needs an AuthType");
        assertEquals("BUFFERED", url.properties().path("InvokeMode").asText(),
                "the Quarkus Lambda adapter returns whole responses");
        boolean output = false;
        for (JsonNode o : template.get(0).path("Outputs")) {
            JsonNode getAtt = o.path("Value").path("Fn::GetAtt");
            output |= getAtt.isArray() && url.id().equals(getAtt.path(0).asText())
                    && "FunctionUrl".equals(getAtt.path(1).asText());
        }
        assertTrue(output, "an output gives the https:// function URL");
    }

    static void lambdaSecretsComeFromSecretsManager(ArrayNode template) {
        JsonNode env = lambdaEnvironment(template);
        List<String> secretNames = new ArrayList<>(List.of("QUARKUS_REDIS_PASSWORD"));
        env.fieldNames().forEachRemaining(name -> {
            if (name.endsWith("_API_KEY")) {
                secretNames.add(name);
            }
        });
        assertTrue(secretNames.size() > 1, "at least one provider key variable (*_API_KEY)");
        for (String name : secretNames) {
            String value = stringOrSub(env.path(name));
            assertNotNull(value, name + " is a string or Fn::Sub");
            assertTrue(SECRETS_MANAGER_REFERENCE.matcher(value).matches(),
                    name + " must be a {{resolve:secretsmanager:...}} reference, not " + value);
        }
        assertFalse(template.toString().contains("resolve:ssm-secure"),
                "ssm-secure references are not supported in Lambda environment variables");
    }

    static void lambdaEnvironmentSelectsTheLambdaProfileAndTlsRedis(ArrayNode template) {
        JsonNode env = lambdaEnvironment(template);
        assertEquals("lambda", env.path("QUARKUS_PROFILE").asText());
        String hosts = stringOrSub(env.path("QUARKUS_REDIS_HOSTS"));
        assertTrue(hosts != null && hosts.startsWith("rediss://"), "ElastiCache Serverless takes TLS only: " + hosts);
        assertEquals("cluster", env.path("QUARKUS_REDIS_CLIENT_TYPE").asText(),
                "ElastiCache Serverless speaks the cluster protocol only");
        assertEquals("/opt/freeway.yaml", env.path("FREEWAY_CONFIG").asText(),
                "provider configuration is the layer's freeway.yaml, mounted at /opt");
    }

    // ---- deployment/knative/service.yaml

    static JsonNode knativeContainer(ArrayNode service) {
        JsonNode containers = knativeService(service).at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    static JsonNode knativeService(ArrayNode service) {
        JsonNode ksvc = kind(service, "Service");
        assertEquals("serving.knative.dev/v1", ksvc.path("apiVersion").asText());
        return ksvc;
    }

    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    static void knativeServiceScalesToZero(ArrayNode service) {
        JsonNode annotations = knativeService(service).at("/spec/template/metadata/annotations");
        assertEquals("0", annotations.path("autoscaling.knative.dev/min-scale").asText(), "min-scale \"0\"");
    }

    static void knativeServiceHasAConcurrencyTarget(ArrayNode service) {
        JsonNode ksvc = knativeService(service);
        int hard = ksvc.at("/spec/template/spec/containerConcurrency").asInt(0);
        int soft = ksvc.at("/spec/template/metadata/annotations").path("autoscaling.knative.dev/target").asInt(0);
        assertTrue(hard > 0 || soft > 0, "containerConcurrency or an autoscaling.knative.dev/target annotation");
    }

    static void knativeProbesUseQuarkusHealthEndpoints(ArrayNode service) {
        JsonNode container = knativeContainer(service);
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText(), "readiness probe");
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText(), "liveness probe");
    }

    static void knativeServiceTakesKeysAndRedisFromSecretsAndConfig(ArrayNode service) {
        JsonNode container = knativeContainer(service);
        boolean keysFromSecret = false;
        for (JsonNode source : container.path("envFrom")) {
            keysFromSecret |= !source.at("/secretRef/name").asText().isBlank();
        }
        assertTrue(keysFromSecret, "provider keys come from a Secret through envFrom.secretRef");
        Map<String, JsonNode> env = env(container);
        assertFalse(env.getOrDefault("QUARKUS_REDIS_PASSWORD", MissingNode.getInstance())
                .at("/valueFrom/secretKeyRef/name").asText().isBlank(), "the Redis password comes from a secretKeyRef");
        JsonNode hosts = env.getOrDefault("QUARKUS_REDIS_HOSTS", MissingNode.getInstance()).path("valueFrom");
        assertTrue(hosts.has("configMapKeyRef") || hosts.has("secretKeyRef"),
                "the Redis address comes from a ConfigMap or Secret");
        env.values().forEach(e -> assertFalse(e.path("name").asText().endsWith("_API_KEY") && e.has("value"),
                "no provider key is written into the manifest: " + e.path("name").asText()));
    }

    static void knativeServiceSetsResourceRequestsAndLimits(ArrayNode service) {
        JsonNode resources = knativeContainer(service).path("resources");
        assertFalse(resources.at("/requests/cpu").asText().isBlank(), "CPU request");
        assertFalse(resources.at("/requests/memory").asText().isBlank(), "memory request");
        assertFalse(resources.at("/limits/memory").asText().isBlank(), "memory limit");
    }

    // ---- infra/aws/elasticache.yaml

    static Resource cache(ArrayNode template) {
        return resource(template.get(0), "AWS::ElastiCache::ServerlessCache");
    }

    static JsonNode templateResource(ArrayNode template, JsonNode ref, String type) {
        String id = ref.path("Ref").asText();
        JsonNode resource = template.get(0).path("Resources").path(id);
        assertEquals(type, resource.path("Type").asText(), ref + " refers to a " + type + " of this template");
        return resource;
    }

    static void elasticacheCreatesAServerlessCacheInTheGivenSubnets(ArrayNode template) {
        JsonNode cache = cache(template).properties();
        assertTrue(cache.path("Engine").asText().matches("valkey|redis"), "a Valkey or Redis cache");
        JsonNode subnets = cache.path("SubnetIds");
        String parameter = subnets.path("Ref").asText();
        assertEquals("List<AWS::EC2::Subnet::Id>", template.get(0).at("/Parameters/" + parameter + "/Type").asText(),
                "subnet ids are a parameter");
        JsonNode groups = cache.path("SecurityGroupIds");
        assertEquals(1, groups.size(), "the cache sits behind one security group");
        templateResource(template, groups.get(0), "AWS::EC2::SecurityGroup");
    }

    static void elasticacheAdmitsOnlyTheFunctionSecurityGroupOn6379(ArrayNode template) {
        JsonNode group = templateResource(template, cache(template).properties().path("SecurityGroupIds").get(0),
                "AWS::EC2::SecurityGroup");
        JsonNode rules = group.at("/Properties/SecurityGroupIngress");
        assertEquals(1, rules.size(), "one ingress rule");
        JsonNode rule = rules.get(0);
        assertEquals("tcp", rule.path("IpProtocol").asText());
        assertEquals(6379, rule.path("FromPort").asInt());
        assertEquals(6379, rule.path("ToPort").asInt());
        assertFalse(rule.has("CidrIp") || rule.has("CidrIpv6"), "no address range, only the function's group");
        templateResource(template, rule.path("SourceSecurityGroupId"), "AWS::EC2::SecurityGroup");
        String source = rule.path("SourceSecurityGroupId").path("Ref").asText();
        boolean exported = false;
        for (JsonNode output : template.get(0).path("Outputs")) {
            exported |= isRef(output.path("Value"), source);
        }
        assertTrue(exported, "the admitted group is an output, for the Lambda template's SecurityGroupId");
    }

    static void elasticacheRequiresAGeneratedPassword(ArrayNode template) {
        JsonNode userGroup = templateResource(template, cache(template).properties().path("UserGroupId"),
                "AWS::ElastiCache::UserGroup");
        JsonNode userIds = userGroup.at("/Properties/UserIds");
        assertFalse(userIds.isEmpty(), "the user group has users");
        for (JsonNode ref : userIds) {
            JsonNode user = templateResource(template, ref, "AWS::ElastiCache::User").path("Properties");
            assertEquals("password", user.at("/AuthenticationMode/Type").asText(), "every user needs a password");
            for (JsonNode password : user.at("/AuthenticationMode/Passwords")) {
                String value = stringOrSub(password);
                assertTrue(value != null && SECRETS_MANAGER_REFERENCE.matcher(value).matches(),
                        "passwords come from Secrets Manager: " + password);
            }
        }
        Resource secret = resource(template.get(0), "AWS::SecretsManager::Secret");
        assertEquals("password", secret.properties().at("/GenerateSecretString/GenerateStringKey").asText(),
                "Secrets Manager generates the password; no one types it");
    }

    static void elasticacheOutputsTheEndpoint(ArrayNode template) {
        String cache = cache(template).id();
        boolean output = false;
        for (JsonNode o : template.get(0).path("Outputs")) {
            String sub = stringOrSub(o.path("Value"));
            JsonNode getAtt = o.path("Value").path("Fn::GetAtt");
            output |= (sub != null && sub.contains("${" + cache + ".Endpoint.Address}"))
                    || (getAtt.isArray() && cache.equals(getAtt.path(0).asText())
                    && "Endpoint.Address".equals(getAtt.path(1).asText()));
        }
        assertTrue(output, "an output gives the cache endpoint");
    }

    // ---- infra/kubernetes/redis.yaml

    static JsonNode redisContainer(ArrayNode redis) {
        JsonNode containers = kind(redis, "Deployment").at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    /** The container's command and arguments as one text. */
    static String startScript(JsonNode container) {
        StringBuilder script = new StringBuilder();
        container.path("command").forEach(c -> script.append(c.asText()).append(' '));
        container.path("args").forEach(a -> script.append(a.asText()).append(' '));
        return script.toString();
    }

    static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode v : deployment.at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return MissingNode.getInstance();
    }

    static void kubernetesRedisPasswordComesFromASecret(ArrayNode redis) {
        JsonNode container = redisContainer(redis);
        JsonNode password = env(container).getOrDefault("REDIS_PASSWORD", MissingNode.getInstance());
        assertFalse(password.at("/valueFrom/secretKeyRef/name").asText().isBlank(), "REDIS_PASSWORD from a Secret");
        assertFalse(password.has("value"), "never a literal password");
        String start = startScript(container);
        assertTrue(start.contains("requirepass") && start.contains("\"$REDIS_PASSWORD\""),
                "Redis is started with requirepass set from REDIS_PASSWORD");
    }

    static void kubernetesRedisKeepsNoDataByDefault(ArrayNode redis) {
        JsonNode container = redisContainer(redis);
        assertEquals("no", env(container).getOrDefault("REDIS_APPENDONLY", MissingNode.getInstance()).path("value").asText(),
                "append-only file off");
        assertTrue(startScript(container).contains("save \"\""), "RDB snapshots off (save \"\")");
        assertTrue(volume(kind(redis, "Deployment"), "data").has("emptyDir"), "data on an emptyDir, no claim");
    }

    static void kubernetesRedisHasAServiceOn6379(ArrayNode redis) {
        JsonNode service = kind(redis, "Service");
        JsonNode podLabels = kind(redis, "Deployment").at("/spec/template/metadata/labels");
        service.at("/spec/selector").fields().forEachRemaining(e -> assertEquals(e.getValue(), podLabels.path(e.getKey()),
                "the Service selects the Redis pods by " + e.getKey()));
        assertFalse(service.at("/spec/selector").isEmpty(), "the Service has a selector");
        boolean port = false;
        for (JsonNode p : service.at("/spec/ports")) {
            port |= p.path("port").asInt() == 6379;
        }
        assertTrue(port, "the Service listens on 6379");
    }

    static void kubernetesRedisAdmitsOnlyFreewayPodsOn6379(ArrayNode redis) {
        JsonNode policy = kind(redis, "NetworkPolicy");
        JsonNode podLabels = kind(redis, "Deployment").at("/spec/template/metadata/labels");
        JsonNode selected = policy.at("/spec/podSelector/matchLabels");
        assertFalse(selected.isEmpty(), "the policy selects pods");
        selected.fields().forEachRemaining(e -> assertEquals(e.getValue(), podLabels.path(e.getKey()),
                "the policy applies to the Redis pods"));
        assertTrue(policy.at("/spec/policyTypes").toString().contains("Ingress"), "an ingress policy");
        JsonNode rules = policy.at("/spec/ingress");
        assertEquals(1, rules.size(), "one ingress rule");
        JsonNode from = rules.get(0).path("from");
        assertFalse(from.isEmpty(), "the rule admits named peers only (an empty 'from' admits everyone)");
        for (JsonNode peer : from) {
            assertEquals(1, peer.size(), "peers are pod selectors only: " + peer);
            assertEquals("freeway", peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText(),
                    "only pods labelled app.kubernetes.io/name: freeway");
        }
        JsonNode ports = rules.get(0).path("ports");
        assertEquals(1, ports.size(), "one port");
        assertEquals(6379, ports.get(0).path("port").asInt());
        assertEquals("TCP", ports.get(0).path("protocol").asText("TCP"));
    }
}
