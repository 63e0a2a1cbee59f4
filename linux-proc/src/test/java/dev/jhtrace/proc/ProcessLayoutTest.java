package dev.jhtrace.proc;

import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.ThreadInfo;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Threads and modules of a running process from /proc, as {@code ~} and {@code lm} show them. */
class ProcessLayoutTest {

    @Test
    void modulesSpanEveryMappingOfAFileWithCodeAndSkipDataFiles() {
        List<String> maps = List.of(
                "55d0c6a00000-55d0c6a02000 r--p 00000000 08:01 1234  /usr/bin/my server",
                "55d0c6a02000-55d0c6a08000 r-xp 00002000 08:01 1234  /usr/bin/my server",
                "55d0c6a08000-55d0c6a0a000 rw-p 00008000 08:01 1234  /usr/bin/my server",
                "55d0c7000000-55d0c7021000 rw-p 00000000 00:00 0     [heap]",
                "7f1a2b000000-7f1a2b100000 r--p 00000000 08:01 99    /usr/lib/locale/locale-archive",
                "7f1a2c000000-7f1a2c028000 r--p 00000000 08:01 55    /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7f1a2c028000-7f1a2c1bd000 r-xp 00028000 08:01 55    /usr/lib/x86_64-linux-gnu/libc.so.6",
                "7ffd1e5f0000-7ffd1e5f2000 r-xp 00000000 00:00 0     [vdso]",
                "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]");
        assertEquals(List.of(
                new LoadedModule(0x55d0c6a00000L, 0x55d0c6a0a000L, "my server", "/usr/bin/my server"),
                new LoadedModule(0x7f1a2c000000L, 0x7f1a2c1bd000L, "libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"),
                new LoadedModule(0x7ffd1e5f0000L, 0x7ffd1e5f2000L, "[vdso]", null)), ProcessLayout.modules(maps));
    }

    @Test
    void thisJvmsThreadsIncludeOneItStartedByName() throws Exception {
        CountDownLatch started = new CountDownLatch(1), done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jt-layout-probe");
        t.start();
        try {
            started.await();
            int pid = (int) ProcessHandle.current().pid();
            // Java names its threads for the kernel (comm, 15 bytes at most); the probe sleeps once it reaches its await
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            List<ThreadInfo> threads = ProcessLayout.threads(pid);
            while (threads.stream().noneMatch(i -> "jt-layout-probe".equals(i.name()) && "sleeping".equals(i.state())) && System.nanoTime() < deadline) {
                Thread.sleep(10);
                threads = ProcessLayout.threads(pid);
            }
            assertTrue(threads.stream().anyMatch(i -> "jt-layout-probe".equals(i.name()) && "sleeping".equals(i.state())), threads.toString());
            assertEquals(pid, threads.get(0).tid(), "by tid: the main thread, whose tid is the pid, first");
            Path exe = Path.of("/proc/self/exe").toRealPath();
            assertTrue(ProcessLayout.modules(pid).stream().anyMatch(m -> exe.toString().equals(m.path())), "the java launcher is a module");
        } finally {
            done.countDown();
            t.join();
        }
    }

    @Test
    void aProcessThatIsGoneIsNotFound() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        int pid = (int) p.pid();
        assertTrue(!Files.exists(Path.of("/proc/" + pid)));
        assertEquals(Failure.TARGET_NOT_FOUND, assertThrows(JhtraceException.class, () -> ProcessLayout.threads(pid)).failure());
        assertEquals(Failure.TARGET_NOT_FOUND, assertThrows(JhtraceException.class, () -> ProcessLayout.modules(pid)).failure());
    }
}
