package dev.freeway.support;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** What a test reads back from a running gateway: the counters in /v1/status, the ledger and keys in Redis. */
public final class GatewayView {

    private GatewayView() {
    }

    /** A chat request to the gateway under test. */
    public static Response chat(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
    }

    public static JsonPath status() {
        return given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY).when().get("/v1/status")
                .then().statusCode(200).extract().jsonPath();
    }

    /**
     * How much of one rule is used now, as status reports it.
     *
     * @param window as status names it: minute, day, "rolling 60s", concurrent, ...
     */
    public static long used(String provider, String account, String model, String metric, String window) {
        JsonPath status = status();
        String where = "providers.find { it.name == '" + provider + "' }.accounts.find { it.id == '" + account + "' }";
        String rule = ".rules.find { it.metric == '" + metric + "' && it.window == '" + window + "' }.used";
        Long used = status.getObject(where + ".models.find { it.model == '" + model + "' }" + rule, Long.class);
        if (used == null) {
            used = status.getObject(where + rule, Long.class); // a rule of the whole account
        }
        if (used == null) {
            throw new AssertionError("no rule " + metric + "/" + window + " at " + provider + "/" + account + "/" + model);
        }
        return used;
    }

    /** Figures in the current ledger hours of an account, summed by field ("estimated:model", "requests:model"). */
    public static long ledger(String quotaAccount, String field) {
        long sum = 0;
        for (Object key : keys("fw:{acct:" + quotaAccount + "}:ledger:*")) {
            Object value = Resp.command(ProviderDoubles.redis().port(), "HGET", (String) key, field);
            sum += value == null ? 0 : Long.parseLong(value.toString());
        }
        return sum;
    }

    /** Keys in the gateway's Redis matching a glob; braces are escaped for KEYS. */
    public static List<?> keys(String glob) {
        return (List<?>) Resp.command(ProviderDoubles.redis().port(), "KEYS", glob.replace("{", "\\{")
                .replace("}", "\\}"));
    }

    /** Every string value and hash field/value in the gateway's Redis, as one text (to look for a secret in). */
    public static String everythingInRedis() {
        StringBuilder all = new StringBuilder();
        int port = ProviderDoubles.redis().port();
        for (Object key : (List<?>) Resp.command(port, "KEYS", "*")) {
            all.append(key).append('\n');
            String type = String.valueOf(Resp.command(port, "TYPE", (String) key));
            Object value = switch (type) {
                case "string" -> Resp.command(port, "GET", (String) key);
                case "hash" -> Resp.command(port, "HGETALL", (String) key);
                case "zset" -> Resp.command(port, "ZRANGE", (String) key, "0", "-1");
                default -> type;
            };
            all.append(value).append('\n');
        }
        return all.toString();
    }

    /** A metric's current value from /q/metrics (sum over every series that matches all the given labels). */
    public static double metric(String name, Map<String, String> labels) {
        String text = given().header("Authorization", "Bearer " + ProviderDoubles.ADMIN_KEY).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
