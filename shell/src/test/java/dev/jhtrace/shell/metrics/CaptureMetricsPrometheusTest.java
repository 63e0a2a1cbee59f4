package dev.jhtrace.shell.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jhtrace.shell.CliRunner;
import dev.jhtrace.shell.support.Examples;
import dev.jhtrace.shell.support.LeakyTarget;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code capture --metrics-port} scraped by a real Prometheus server (the Debian package's binary, started here
 * on 127.0.0.1 with its own config and storage), asked through its HTTP API; and the example scrape config and
 * alert rules checked and unit-tested with promtool.
 */
class CaptureMetricsPrometheusTest {
    private static final Path EXAMPLES = Examples.root().resolve("examples/service/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern METRICS_AT = Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

    @BeforeAll
    static void needsPrometheus() {
        assumeTrue(onPath("prometheus") && onPath("promtool"), "prometheus/promtool not installed (Debian package prometheus)");
    }

    @Test
    void theExampleConfigAndRulesPassPromtool() throws Exception {
        assertEquals(0, run(List.of("promtool", "check", "config", EXAMPLES.resolve("prometheus.yml").toString())));
        assertEquals(0, run(List.of("promtool", "check", "rules", EXAMPLES.resolve("jhtrace-alerts.yml").toString())));
    }

    @Test
    void theGrowthAlertFiresAfterThirtyMinutesAboveTheLimitOnly(@TempDir Path dir) throws Exception {
        Path tests = dir.resolve("alerts-test.yml");
        String labels = "instance=\"srv:9746\",job=\"jhtrace\",service=\"my-server\"";
        Files.writeString(tests, String.join("\n",
                "rule_files: ['" + EXAMPLES.resolve("jhtrace-alerts.yml") + "']",
                "evaluation_interval: 1m",
                "tests:",
                "  - interval: 1m",
                "    input_series:",
                // 500/h from the start; a second server at 50/h never alerts
                "      - series: 'jhtrace_handle_growth_all_per_hour{" + labels + "}'",
                "        values: '500x60'",
                "      - series: 'jhtrace_handle_growth_all_per_hour{instance=\"other:9746\",job=\"jhtrace\",service=\"quiet\"}'",
                "        values: '50x60'",
                "    alert_rule_test:",
                "      - eval_time: 29m",
                "        alertname: HandleGrowth",
                "        exp_alerts: []",
                "      - eval_time: 31m",
                "        alertname: HandleGrowth",
                "        exp_alerts:",
                "          - exp_labels: {severity: warning, instance: 'srv:9746', job: jhtrace, service: my-server}",
                "            exp_annotations:",
                "              summary: 'my-server on srv:9746: handles grow 500/h'",
                "              description: 'Open handles have grown by more than 100 per hour for 30 minutes. jhtrace_stack_growth_per_hour"
                        + " names the leaking frame; the capture directory''s report.html has the stacks.'",
                ""));
        assertEquals(0, run(List.of("promtool", "test", "rules", tests.toString())));
    }

    @Test
    void prometheusScrapesCaptureAndPromqlReturnsWhatTheTargetsHold(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(Engines.named("gdb").availability().available(), "gdb engine unavailable"); // gdb is required (.ci/run installs it): fail, never skip
        // a process holding exactly three files and three pipes (its stdin, stdout and stderr, as ProcessBuilder makes them)
        Process fixed = new ProcessBuilder("bash", "-c", "exec sleep 300 3</etc/hostname 4</etc/hostname 5</etc/hostname").start();
        List<Process> started = new ArrayList<>(List.of(fixed));
        try (LeakyTarget leaky = LeakyTarget.start("m", 300)) {
            Capture counts = Capture.start(dir.resolve("counts"), "--pid", String.valueOf(fixed.pid()), "--no-trace", "--every", "500ms");
            started.add(counts.process);
            Capture traced = Capture.start(dir.resolve("leaky"), "--pid", String.valueOf(leaky.pid()), "--every", "500ms");
            started.add(traced.process);

            int port = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global: {scrape_interval: 1s, evaluation_interval: 1s}",
                    "scrape_configs:",
                    "  - job_name: counts",
                    "    static_configs: [{targets: ['127.0.0.1:" + counts.port + "']}]",
                    "  - job_name: leaky",
                    "    static_configs: [{targets: ['127.0.0.1:" + traced.port + "']}]",
                    ""));
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            started.add(prometheus);
            String api = "http://127.0.0.1:" + port;
            await("Prometheus ready", () -> get(api + "/-/ready").statusCode() == 200, prometheus, dir.resolve("prometheus.log"));

            await("both captures scraped", () -> value(api, "sum(up{job=~\"counts|leaky\"})") == 2, prometheus, dir.resolve("prometheus.log"));
            await("the fixed process's 3 files and 3 pipes", () -> value(api, "jhtrace_handles{job=\"counts\",type=\"File\"}") == 3
                    && value(api, "jhtrace_handles{job=\"counts\",type=\"Pipe\"}") == 3, prometheus, dir.resolve("prometheus.log"));
            JsonNode info = query(api, "jhtrace_capture_target_info{job=\"counts\"}");
            assertEquals(String.valueOf(fixed.pid()), info.at("/0/metric/pid").asText(), info.toString());
            assertEquals("false", info.at("/0/metric/tracing").asText(), "counts only");
            await("the fixed process judged flat", () -> value(api, "jhtrace_leak_judged{job=\"counts\"}") == 1
                    && value(api, "jhtrace_leak{job=\"counts\"}") == 0 && value(api, "jhtrace_handle_growth_all_per_hour{job=\"counts\"}") == 0,
                    prometheus, dir.resolve("prometheus.log"));

            // leaky-rates opens a socket every 100 ms (36,000/h) from handle_request, a file every 250 ms from reload_config
            await("the leak judged with its rate and leaking frame", () -> value(api, "jhtrace_leak{job=\"leaky\"}") == 1
                    && !query(api, "jhtrace_stack_growth_per_hour{job=\"leaky\",frame=~\"" + leaky.name() + "!handle_request.*\"} > 10000").isEmpty(),
                    prometheus, dir.resolve("prometheus.log"));
            // a rate from the first seconds of records is a few whole handles over a short window (one file in 2 s is
            // 1,800/h): wait until the estimate has settled into its band rather than judge the first one
            String socketRate = "jhtrace_handle_growth_per_hour{job=\"leaky\",type=\"Socket\"}";
            String fileRate = "jhtrace_handle_growth_per_hour{job=\"leaky\",type=\"File\"}";
            await("about 36,000 sockets/h (slower under tracing) and 14,400 files/h", () -> {
                double sockets = value(api, socketRate), files = value(api, fileRate);
                return sockets > 18_000 && sockets < 40_000 && files > 7_000 && files < 16_000;
            }, prometheus, dir.resolve("prometheus.log"));
            assertTrue(value(api, "jhtrace_trace_events_total{job=\"leaky\"}") > 0);
            assertEquals(1, value(api, "jhtrace_capture_attached{job=\"leaky\"}"));
            assertTrue(query(api, "count(jhtrace_stack_growth_per_hour{job=\"leaky\"}) <= " + CaptureMetrics.TOP_STACKS).size() == 1,
                    "stack series stay bounded");
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                Process p = started.get(i);
                p.destroy(); // SIGTERM: capture detaches and reports, Prometheus shuts down
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void badMetricsOptionsAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        String self = String.valueOf(ProcessHandle.current().pid());
        CliRunner noPort = CliRunner.run("capture", "--pid", self, "--no-trace", "--metrics-bind", "0.0.0.0", "--out", dir.resolve("a").toString());
        assertEquals(2, noPort.exitCode(), noPort.err());
        assertEquals("jhtrace: --metrics-bind needs --metrics-port\n", noPort.err());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRunner inUse = CliRunner.run("capture", "--pid", self, "--no-trace", "--metrics-port", String.valueOf(taken.getLocalPort()),
                    "--out", dir.resolve("b").toString());
            assertEquals(2, inUse.exitCode(), inUse.err());
            assertTrue(inUse.err().matches("jhtrace: cannot serve metrics on 127\\.0\\.0\\.1:" + taken.getLocalPort() + ": .*\n"), inUse.err());
        }
        CliRunner range = CliRunner.run("capture", "--pid", self, "--no-trace", "--metrics-port", "70000", "--out", dir.resolve("c").toString());
        assertEquals(2, range.exitCode(), range.err());
        assertEquals("jhtrace: --metrics-port must be 0 to 65535, not 70000\n", range.err());
    }

    /** A capture in a JVM of its own, serving metrics on a port it picked. */
    private record Capture(Process process, int port) {
        static Capture start(Path out, String... args) throws Exception {
            List<String> all = new ArrayList<>(List.of("capture"));
            all.addAll(List.of(args));
            all.addAll(List.of("--metrics-port", "0", "--out", out.toString()));
            Process p = new ProcessBuilder(CliRunner.inOwnJvm(all.toArray(String[]::new))).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) lines.add(line);
                } catch (IOException ended) {
                    // the capture ended
                }
            }, "capture-stderr");
            reader.setDaemon(true);
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            StringBuilder seen = new StringBuilder();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!p.isAlive()) break;
                    continue;
                }
                seen.append(line).append('\n');
                Matcher m = METRICS_AT.matcher(line);
                if (m.find()) return new Capture(p, Integer.parseInt(m.group(1)));
            }
            p.destroyForcibly();
            throw new AssertionError("capture did not say where it serves metrics:\n" + seen);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check, Process prometheus, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) fail("prometheus exited: " + Files.readString(log));
            try {
                if (check.holds()) return;
            } catch (IOException e) {
                last = e; // not listening yet
            }
            Thread.sleep(250);
        }
        fail("timed out waiting for " + what + (last == null ? "" : " (" + last + ")"));
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The result vector of an instant query. */
    private static JsonNode query(String api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) throw new AssertionError(promql + ": " + r.body());
        return body.at("/data/result");
    }

    /** The value of a query's only sample, NaN when it has none. */
    private static double value(String api, String promql) throws IOException, InterruptedException {
        JsonNode result = query(api, promql);
        if (result.size() != 1) return Double.NaN;
        return Double.parseDouble(result.at("/0/value/1").asText());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool hung");
        if (p.exitValue() != 0) System.err.println(String.join(" ", command) + ":\n" + out);
        return p.exitValue();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
