package dev.freeway.demo;

import dev.freeway.demo.DemoActivation.Run;
import dev.freeway.demo.DemoActivation.Setting;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoActivationTest {

    /** quarkus:dev with no configuration at all. */
    private static final Run DEV = new Run(false, true, false, false, "localhost", 8080);
    /** java -jar, listening on every interface. */
    private static final Run PROD = new Run(false, false, false, false, "0.0.0.0", 8080);

    @Test
    void auto_serves_the_demo_in_dev_mode_with_no_account() {
        assertTrue(DemoActivation.decide(Setting.AUTO, DEV).active());
    }

    @Test
    void configured_accounts_switch_the_demo_off_whatever_the_setting() {
        Run withAccounts = new Run(true, true, false, false, "localhost", 8080);
        for (Setting setting : Setting.values()) {
            DemoActivation decision = DemoActivation.decide(setting, withAccounts);
            assertFalse(decision.active(), setting + ": " + decision.reason());
        }
        assertTrue(DemoActivation.decide(Setting.TRUE, withAccounts).reason().contains("ignored"));
    }

    @Test
    void false_switches_it_off_even_in_dev_mode() {
        assertFalse(DemoActivation.decide(Setting.FALSE, DEV).active());
    }

    @Test
    void a_packaged_server_on_every_interface_needs_true_and_one_on_loopback_does_not() {
        assertFalse(DemoActivation.decide(Setting.AUTO, PROD).active());
        assertTrue(DemoActivation.decide(Setting.TRUE, PROD).active());
        assertTrue(DemoActivation.decide(Setting.AUTO, new Run(false, false, false, false, "127.0.0.1", 8080)).active());
        assertTrue(DemoActivation.decide(Setting.AUTO, new Run(false, false, false, false, "::1", 8080)).active());
    }

    @Test
    void lambda_and_native_builds_serve_the_demo_only_when_asked() {
        Run lambda = new Run(false, false, true, false, "127.0.0.1", 8080);
        Run nativeImage = new Run(false, false, false, true, "127.0.0.1", 8080);
        assertFalse(DemoActivation.decide(Setting.AUTO, lambda).active());
        assertFalse(DemoActivation.decide(Setting.AUTO, nativeImage).active());
        assertTrue(DemoActivation.decide(Setting.TRUE, lambda).active());
        assertTrue(DemoActivation.decide(Setting.TRUE, nativeImage).active());
    }

    @Test
    void a_random_port_cannot_be_looped_back_to() {
        DemoActivation decision = DemoActivation.decide(Setting.TRUE, new Run(false, true, false, false, "localhost", 0));
        assertFalse(decision.active());
        assertTrue(decision.reason().contains("quarkus.http.port"), decision.reason());
    }
}
