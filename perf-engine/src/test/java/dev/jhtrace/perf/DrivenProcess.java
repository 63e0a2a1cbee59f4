package dev.jhtrace.perf;

import dev.jhtrace.examples.CProgram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A C test program driven line by line on stdin, answering "ok ..." per command (examples/linux/leaky.c, perfzoo.c). */
final class DrivenProcess implements AutoCloseable {
    final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    DrivenProcess(Path binary, String... arguments) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(binary.toString()));
        command.addAll(java.util.List.of(arguments));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("ready"), "first line: " + ready);
    }

    int pid() {
        return (int) process.pid();
    }

    /** Sends a command and returns its "ok" answer. */
    String send(String command) throws IOException {
        in.println(command);
        String reply = out.readLine();
        assertTrue(reply != null && reply.startsWith("ok"), command + " -> " + reply);
        return reply;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The repository root (surefire's {@code jhtrace.root}, else the parent of the working directory). */
    static Path root() {
        String r = System.getProperty("jhtrace.root");
        return r != null ? Path.of(r) : Path.of("").toAbsolutePath().getParent();
    }

    /** {@code examples/linux/NAME.c} built with gcc -g -O0 into target/examples. */
    static Path example(String name) {
        return CProgram.build(root().resolve("examples/linux/" + name + ".c"), Path.of("target/examples").toAbsolutePath().resolve(name));
    }

    /** This module's src/test/c/perfzoo.c, dynamically linked or static. */
    static Path perfzoo(boolean statically) {
        Path source = Path.of("src/test/c/perfzoo.c").toAbsolutePath();
        Path target = Path.of("target/examples").toAbsolutePath();
        return statically ? CProgram.build(source, target.resolve("perfzoo-static"), "-static") : CProgram.build(source, target.resolve("perfzoo"));
    }
}
