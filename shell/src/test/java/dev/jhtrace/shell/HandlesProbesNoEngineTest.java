package dev.jhtrace.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jhtrace handles} reads /proc and nothing else: choosing the default engine by probing perf (two programs run)
 * cost a short listing more than the listing itself. Engine programs on the PATH that note each run show it.
 */
class HandlesProbesNoEngineTest {
    private record Result(int code, String out, String err) {
    }

    private static Result jhtrace(Path bin, Path dir, String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.jhtrace.shell.EntryPoint"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jhtrace " + String.join(" ", args) + " ended");
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8), Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void handlesRunsNoEngineProgramWhereDoctorDoes(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ran = dir.resolve("ran.txt");
        for (String tool : List.of("perf", "setpriv", "gdb")) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + ran + "'\nexit 1\n");
            assertTrue(script.toFile().setExecutable(true));
        }
        long self = ProcessHandle.current().pid();
        Result handles = jhtrace(bin, dir, "handles", "--pid", Long.toString(self));
        assertEquals(0, handles.code, handles.err);
        assertTrue(handles.out.startsWith("pid " + self + ": "), handles.out);
        assertFalse(Files.exists(ran), () -> "handles ran engine programs: " + readOrEmpty(ran));
        // the control: doctor does probe the engines, through the same PATH
        jhtrace(bin, dir, "doctor");
        assertTrue(readOrEmpty(ran).contains("perf version"), "doctor probed perf: " + readOrEmpty(ran));
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
