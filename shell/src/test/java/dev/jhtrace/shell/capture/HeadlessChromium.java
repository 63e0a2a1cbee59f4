package dev.jhtrace.shell.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven through its DevTools protocol (on 127.0.0.1, a port the browser picks): it
 * opens a page, evaluates expressions in the DOM as the browser rendered it (element bounds, parsed SVG
 * points) and screenshots a region of the page. Tests use it to check a page by what it shows, found by
 * the page's own elements, rather than by pixel positions that move with the browser's layout and fonts.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(90), COMMAND = Duration.ofSeconds(60);

    private final Process browser;
    private WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private String session;

    private HeadlessChromium(Process browser) {
        this.browser = browser;
    }

    /**
     * Starts {@code executable} with a profile of its own in {@code profile} (which also receives its log)
     * and a {@code width} x {@code height} CSS-pixel viewport at device scale 1, so screenshot pixels are
     * page pixels.
     */
    static HeadlessChromium start(String executable, Path profile, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        Path activePort = profile.resolve("DevToolsActivePort");
        Files.deleteIfExists(activePort);
        Process p = new ProcessBuilder(executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            // the browser writes its port and browser endpoint there once it listens
            long deadline = System.nanoTime() + START.toNanos();
            List<String> lines = List.of();
            while (lines.size() < 2) {
                if (!p.isAlive()) throw new IOException("chromium exited with " + p.exitValue() + ": " + Files.readString(profile.resolve("chromium.log")));
                if (System.nanoTime() > deadline) throw new IOException("chromium did not listen for DevTools within " + START.toSeconds() + "s");
                if (Files.exists(activePort)) lines = Files.readAllLines(activePort);
                if (lines.size() < 2) Thread.sleep(50);
            }
            HeadlessChromium connected = new HeadlessChromium(p);
            connected.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(COMMAND)
                    .buildAsync(URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim()), connected.listener())
                    .get(COMMAND.toSeconds(), TimeUnit.SECONDS);
            String target = connected.send("Target.createTarget", JSON.createObjectNode().put("url", "about:blank")).get("targetId").asText();
            connected.session = connected.send("Target.attachToTarget", JSON.createObjectNode().put("targetId", target).put("flatten", true))
                    .get("sessionId").asText();
            connected.send("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", false));
            return connected;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(p, false);
            throw e;
        } catch (Exception e) {
            stop(p, false);
            throw new IOException("cannot talk to chromium: " + e, e);
        }
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    try {
                        JsonNode reply = JSON.readTree(message.toString());
                        // events carry no id; only replies to our commands are of interest
                        if (reply.has("id")) {
                            CompletableFuture<JsonNode> f = pending.remove(reply.get("id").asInt());
                            if (f != null) f.complete(reply);
                        }
                    } catch (IOException e) {
                        pending.values().forEach(f -> f.completeExceptionally(e));
                    }
                    message.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                pending.values().forEach(f -> f.completeExceptionally(error));
            }
        };
    }

    /** Sends a DevTools command (to the page once attached) and waits for its result. */
    private JsonNode send(String method, ObjectNode params) throws IOException {
        int id = ids.incrementAndGet();
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        if (session != null) command.put("sessionId", session);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(JSON.writeValueAsString(command), true).get(COMMAND.toSeconds(), TimeUnit.SECONDS);
            JsonNode r = reply.get(COMMAND.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) throw new IOException(method + " failed: " + r.get("error"));
            return r.get("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } catch (Exception e) {
            if (e instanceof IOException io) throw io;
            throw new IOException(method + " got no answer within " + COMMAND.toSeconds() + "s: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Loads {@code page} and waits until it has loaded (document complete, the page's URL shown). */
    void open(URI page) throws IOException, InterruptedException {
        JsonNode nav = send("Page.navigate", JSON.createObjectNode().put("url", page.toString()));
        if (nav.hasNonNull("errorText")) throw new IOException("cannot open " + page + ": " + nav.get("errorText").asText());
        long deadline = System.nanoTime() + COMMAND.toNanos();
        while (!evaluate("document.readyState === 'complete' && location.href === " + JSON.writeValueAsString(page.toString())).asBoolean()) {
            if (System.nanoTime() > deadline) throw new IOException(page + " did not finish loading within " + COMMAND.toSeconds() + "s");
            Thread.sleep(50);
        }
    }

    /** The value of a JavaScript expression evaluated in the page (DevTools evaluation is not subject to the page's CSP). */
    JsonNode evaluate(String expression) throws IOException {
        JsonNode r = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        if (r.has("exceptionDetails")) throw new IOException("the page threw: " + r.get("exceptionDetails"));
        return r.at("/result/value");
    }

    /** A screenshot of the page region at ({@code x}, {@code y}) of {@code width} x {@code height} CSS pixels, one pixel each. */
    BufferedImage screenshot(double x, double y, double width, double height) throws IOException {
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.putObject("clip").put("x", x).put("y", y).put("width", width).put("height", height).put("scale", 1);
        byte[] png = Base64.getDecoder().decode(send("Page.captureScreenshot", params).get("data").asText());
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Override
    public void close() throws IOException {
        boolean closed = false;
        try {
            session = null;
            send("Browser.close", JSON.createObjectNode());
            closed = true;
        } catch (IOException e) {
            // the browser is stopped below anyway
        } finally {
            socket.abort();
            stop(browser, closed);
        }
    }

    /**
     * Ends the browser this helper started, and the renderer and helper processes it started: waits for
     * it to exit when it was asked to close, kills it when it was not or does not.
     */
    private static void stop(Process p, boolean closing) {
        List<ProcessHandle> children = new ArrayList<>(p.descendants().toList());
        try {
            if (!closing || !p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
