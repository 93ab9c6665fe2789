package dev.freeway.support;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's chromium, headless, for the tests that read the dashboard as a person sees it. Where chromium or
 * chromedriver is missing a test is skipped with a one-line notice, except under CI=true (.ci/run installs both),
 * where it fails.
 */
public final class Chromium {

    private Chromium() {
    }

    /** A headless browser, or the test skipped (failed under CI) when the packages are missing. */
    public static ChromeDriver start(String testName) throws IOException {
        Optional<Path> chromium = executable("CHROME_BIN", "chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = executable("CHROMEDRIVER", "chromedriver");
        requireOrSkip(testName, chromium.isEmpty() ? "chromium chromium-driver"
                : driver.isEmpty() ? "chromium-driver" : null);
        Path profile = Files.createTempDirectory("freeway-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.orElseThrow().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Logs in through the dashboard's form with the admin key, landing on the dashboard. */
    public static void logIn(ChromeDriver browser, URL root) {
        browser.get(root + "dashboard/login");
        browser.findElement(By.id("key")).sendKeys(ProviderDoubles.ADMIN_KEY);
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        // A click that submits a form does not wait for the page it leads to; on a loaded machine the title would
        // still be the login page's.
        long until = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (browser.getCurrentUrl().contains("/dashboard/login") && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Keeps a screenshot of the whole page. */
    public static void shoot(ChromeDriver browser, Path file) throws IOException {
        long height = ((Number) ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 40, 8000)));
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(file) > 10_000, "a screenshot was saved");
        browser.manage().window().setSize(new Dimension(1400, 1000));
    }

    /**
     * Where a browser package is missing: CI (CI=true, whose .ci/run installs both) fails, so the test cannot be
     * skipped there unnoticed; any other machine skips with one line naming what to install.
     */
    static void requireOrSkip(String testName, String missingPackages) {
        if (missingPackages == null) {
            return;
        }
        String notice = testName + " skipped: apt-get install " + missingPackages + " to run it";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true requires the browser test: apt-get install " + missingPackages);
        }
        System.err.println(notice);
        assumeTrue(false, notice);
    }

    /** An environment variable naming the binary, else the first name found on PATH or in /usr/bin. */
    private static Optional<Path> executable(String variable, String... names) {
        String named = System.getenv(variable);
        if (named != null && Files.isExecutable(Path.of(named))) {
            return Optional.of(Path.of(named));
        }
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        return Stream.of(names).flatMap(name -> Stream.of(path.split(File.pathSeparator))
                        .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
