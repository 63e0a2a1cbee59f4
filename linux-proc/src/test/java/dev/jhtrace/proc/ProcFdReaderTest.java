package dev.jhtrace.proc;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lists real processes: examples/linux/fdzoo.c (one descriptor of each kind) and manyfds.c (19,000 descriptors). */
class ProcFdReaderTest {

    /** One line fdzoo prints: {@code KIND FD LINK [EXTRA...]}, LINK being what it read from /proc/self/fd itself. */
    private record ZooLine(String kind, int fd, String link, List<String> extra) {
        static ZooLine parse(String line) {
            // only paths hold spaces ("/memfd:x (deleted)", the test's file name), and they come without extras
            String[] f = line.split(" ");
            if (List.of("file", "dir", "memfd").contains(f[0])) {
                return new ZooLine(f[0], Integer.parseInt(f[1]), String.join(" ", Arrays.copyOfRange(f, 2, f.length)), List.of());
            }
            return new ZooLine(f[0], Integer.parseInt(f[1]), f[2], List.of(Arrays.copyOfRange(f, 3, f.length)));
        }
    }

    @Test
    void listsOneDescriptorOfEachKindWithExactTypesNamesAndDetails(@TempDir Path dir) throws Exception {
        Path binary = NativeExamples.compile("fdzoo");
        Path file = dir.resolve("zoo file.txt");
        Path watched = Files.createDirectory(dir.resolve("watched"));
        try (RunningExample zoo = RunningExample.start(List.of(binary.toString(), file.toString(), watched.toString()))) {
            HandleTable table = ProcFdReader.read(zoo.pid());
            assertEquals(zoo.pid(), table.pid());
            assertNotNull(table.time());
            Map<Long, HandleEntry> byFd = table.byHandle();
            Map<String, List<ZooLine>> byKind = new HashMap<>();
            for (String l : zoo.lines()) {
                if (l.equals("ready") || l.startsWith("skipped")) continue;
                ZooLine z = ZooLine.parse(l);
                byKind.computeIfAbsent(z.kind(), k -> new ArrayList<>()).add(z);
                HandleEntry e = byFd.get((long) z.fd());
                assertNotNull(e, "fd " + z.fd() + " (" + z.kind() + ") missing from " + table.entries());
                // a socket's name is its link followed by what it is (checked per kind below)
                String name = FdTypes.SOCKET.equals(e.type()) && e.name().startsWith(z.link() + " ") ? z.link() : e.name();
                assertEquals(z.link(), name, "name of " + z.kind());
                assertNotNull(e.grantedAccess(), "flags of " + z.kind());
                assertEquals("0", e.details().get("pos"), "pos of " + z.kind());
            }

            HandleEntry f = entry(byFd, byKind, "file", FdTypes.FILE);
            assertEquals(file.toRealPath().toString(), f.name());
            assertEquals("O_RDWR|O_LARGEFILE|O_CLOEXEC", f.details().get("flags"));
            assertEquals(2, f.grantedAccess() & 3);

            HandleEntry d = entry(byFd, byKind, "dir", FdTypes.DIRECTORY);
            assertEquals(watched.toRealPath().toString(), d.name());
            assertEquals("O_RDONLY|O_LARGEFILE|O_DIRECTORY", d.details().get("flags"));

            ZooLine tcpLine = byKind.get("tcp").get(0);
            HandleEntry tcp = entry(byFd, byKind, "tcp", FdTypes.SOCKET);
            assertTrue(tcp.name().matches("socket:\\[\\d+] TCP " + java.util.regex.Pattern.quote(tcpLine.extra().get(0)) + " LISTEN"), tcp.name());
            assertSocket(tcp, "INET", "TCP", "LISTEN", tcpLine.extra().get(0), null);

            ZooLine clientLine = byKind.get("tcp-client").get(0);
            assertSocket(entry(byFd, byKind, "tcp-client", FdTypes.SOCKET), "INET", "TCP", "ESTABLISHED",
                    clientLine.extra().get(0), clientLine.extra().get(1));

            if (byKind.containsKey("tcp6")) {
                assertSocket(entry(byFd, byKind, "tcp6", FdTypes.SOCKET), "INET6", "TCP", "LISTEN",
                        byKind.get("tcp6").get(0).extra().get(0), null);
            }
            assertSocket(entry(byFd, byKind, "udp", FdTypes.SOCKET), "INET", "UDP", null, byKind.get("udp").get(0).extra().get(0), null);

            for (ZooLine u : byKind.get("unix")) {
                assertSocket(byFd.get((long) u.fd()), "UNIX", "STREAM", "CONNECTED", null, null);
                assertEquals(FdTypes.SOCKET, byFd.get((long) u.fd()).type());
            }
            HandleEntry netlink = entry(byFd, byKind, "netlink", FdTypes.SOCKET);
            assertEquals("NETLINK", netlink.details().get("family"));
            assertEquals("ROUTE", netlink.details().get("protocol"));
            assertEquals(byKind.get("netlink").get(0).extra().get(0).replace(':', ' '), netlink.details().get("local"));

            HandleEntry pipeIn = entry(byFd, byKind, "pipe-read", FdTypes.PIPE);
            HandleEntry pipeOut = entry(byFd, byKind, "pipe-write", FdTypes.PIPE);
            assertTrue(pipeIn.name().matches("pipe:\\[\\d+]"), pipeIn.name());
            assertEquals(pipeIn.name(), pipeOut.name(), "both ends of one pipe");
            assertEquals("O_RDONLY|O_NONBLOCK", pipeIn.details().get("flags"));
            assertEquals("O_WRONLY|O_NONBLOCK", pipeOut.details().get("flags"));

            HandleEntry eventfd = entry(byFd, byKind, "eventfd", FdTypes.EVENT_FD);
            assertEquals("anon_inode:[eventfd]", eventfd.name());
            assertEquals("0x7", eventfd.details().get("eventfd-count"));
            assertEquals("O_RDWR|O_CLOEXEC", eventfd.details().get("flags"));

            HandleEntry epoll = entry(byFd, byKind, "epoll", FdTypes.EVENT_POLL);
            assertEquals("anon_inode:[eventpoll]", epoll.name());
            assertEquals("1", epoll.details().get("watches"));

            HandleEntry timer = entry(byFd, byKind, "timerfd", FdTypes.TIMER_FD);
            assertEquals("anon_inode:[timerfd]", timer.name());
            assertEquals("1", timer.details().get("clockid"), "CLOCK_MONOTONIC");

            HandleEntry signal = entry(byFd, byKind, "signalfd", FdTypes.SIGNAL_FD);
            assertEquals("anon_inode:[signalfd]", signal.name());
            assertEquals("0000000000000200", signal.details().get("sigmask"), "SIGUSR1 is bit 9");

            HandleEntry inotify = entry(byFd, byKind, "inotify", FdTypes.INOTIFY);
            assertEquals("anon_inode:inotify", inotify.name());
            assertEquals("1", inotify.details().get("watches"));

            HandleEntry memfd = entry(byFd, byKind, "memfd", FdTypes.MEM_FD);
            assertEquals("/memfd:fdzoo-memfd (deleted)", memfd.name());
            assertEquals("yes", memfd.details().get("deleted"));

            HandleEntry pidfd = entry(byFd, byKind, "pidfd", FdTypes.PID_FD);
            assertEquals(Integer.toString(zoo.pid()), pidfd.details().get("Pid"));

            if (byKind.containsKey("fanotify")) {
                assertEquals("anon_inode:[fanotify]", entry(byFd, byKind, "fanotify", FdTypes.FANOTIFY).name());
            }

            HandleEntry devnull = entry(byFd, byKind, "devnull", FdTypes.DEVICE);
            assertEquals("/dev/null", devnull.name());
            assertEquals("char 1:3", devnull.details().get("device"));
            assertEquals("O_WRONLY|O_APPEND|O_LARGEFILE", devnull.details().get("flags"));

            // stdin/stdout of the child are the pipes ProcessBuilder made
            assertEquals(FdTypes.PIPE, byFd.get(0L).type());
            assertEquals(FdTypes.PIPE, byFd.get(1L).type());

            // a static process lists the same every time, and through the procRoot overload too
            assertEquals(table.entries(), ProcFdReader.read(Path.of("/proc"), zoo.pid()).entries());
        }
    }

    private static HandleEntry entry(Map<Long, HandleEntry> byFd, Map<String, List<ZooLine>> byKind, String kind, String type) {
        assertTrue(byKind.containsKey(kind), "fdzoo printed no " + kind);
        HandleEntry e = byFd.get((long) byKind.get(kind).get(0).fd());
        assertEquals(type, e.type(), "type of " + kind + ": " + e);
        return e;
    }

    private static void assertSocket(HandleEntry e, String family, String protocol, String state, String local, String peer) {
        Map<String, String> d = e.details();
        assertEquals(family, d.get("family"), e.toString());
        assertEquals(protocol, d.get("protocol"), e.toString());
        assertEquals(state, d.get("state"), e.toString());
        if (local != null) assertEquals(local, d.get("local"), e.toString());
        assertEquals(peer, d.get("peer"), e.toString());
    }

    @Test
    void listsNineteenThousandDescriptorsCompletely() throws Exception {
        int hardLimit = openFilesHardLimit();
        Assumptions.assumeTrue(hardLimit >= 19_100, "RLIMIT_NOFILE hard limit is " + hardLimit + ", below 19,100");
        Path binary = NativeExamples.compile("manyfds", "-pthread");
        try (RunningExample many = RunningExample.start(List.of(binary.toString(), "19000"))) {
            String[] ready = many.lines().get(many.lines().size() - 1).split(" ");
            int first = Integer.parseInt(ready[1]), last = Integer.parseInt(ready[2]);
            assertEquals(18_999, last - first);
            HandleTable table = ProcFdReader.read(many.pid());
            Map<Long, HandleEntry> byFd = table.byHandle();
            for (int fd = first; fd <= last; fd++) {
                HandleEntry e = byFd.get((long) fd);
                assertNotNull(e, "fd " + fd + " missing");
                assertEquals("/dev/null", e.name());
                assertEquals(FdTypes.DEVICE, e.type());
                assertEquals("char 1:3", e.details().get("device"));
            }
            assertEquals(19_003, table.size(), "19,000 plus stdin, stdout and stderr");
            assertEquals(19_000, table.countsByType().get(FdTypes.DEVICE));
        }
    }

    /** Alike descriptors share their details, so each must get its own where it differs from the one before. */
    @Test
    void neighboursThatDifferInDeviceFlagsOrPositionKeepTheirOwnDetails(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("lines.txt"), "hello\nworld\n");
        String script = "exec 3</dev/null 4</dev/null 5</dev/zero 6<'" + file + "' 7<'" + file + "' 8</dev/null 9>/dev/null; "
                + "read -r line <&7; echo ready; read -r rest";
        try (RunningExample sh = RunningExample.start(List.of("sh", "-c", script))) {
            Map<Long, HandleEntry> byFd = ProcFdReader.read(sh.pid()).byHandle();
            Map<String, String> null3 = byFd.get(3L).details(), null4 = byFd.get(4L).details(), zero5 = byFd.get(5L).details();
            Map<String, String> file6 = byFd.get(6L).details(), file7 = byFd.get(7L).details();
            Map<String, String> null8 = byFd.get(8L).details(), null9 = byFd.get(9L).details();
            assertEquals("char 1:3", null3.get("device"));
            assertEquals(null3, null4);
            assertEquals("char 1:5", zero5.get("device"), "/dev/zero, after /dev/null opened alike");
            assertEquals(null3.get("flags"), zero5.get("flags"));
            assertEquals(List.of("flags", "pos"), List.copyOf(file6.keySet()), "a file after a device: no device");
            assertEquals("0", file6.get("pos"));
            assertEquals("6", file7.get("pos"), "read past its first line");
            assertEquals(List.of("flags", "pos"), List.copyOf(file7.keySet()));
            assertEquals(null3, null8, "/dev/null again after the file");
            assertEquals("char 1:3", null9.get("device"));
            assertTrue(null9.get("flags").startsWith("O_WRONLY"), null9.toString());
            assertTrue(null3.get("flags").startsWith("O_RDONLY"), null3.toString());
            assertEquals((Long) 0L, (Long) (byFd.get(3L).grantedAccess() & 3), "read-only access");
            assertEquals((Long) 1L, (Long) (byFd.get(9L).grantedAccess() & 3), "write-only access");
        }
    }

    @Test
    void skipsDescriptorsThatCloseWhileListing() throws Exception {
        Path binary = NativeExamples.compile("manyfds", "-pthread");
        try (RunningExample churning = RunningExample.start(List.of(binary.toString(), "3000", "churn"))) {
            String[] ready = churning.lines().get(churning.lines().size() - 1).split(" ");
            int first = Integer.parseInt(ready[1]), last = Integer.parseInt(ready[2]);
            for (int round = 0; round < 20; round++) {
                HandleTable table = ProcFdReader.read(churning.pid());
                Map<Long, HandleEntry> byFd = table.byHandle();
                for (int fd = first; fd <= last; fd++) assertEquals("/dev/null", byFd.get((long) fd).name());
                // the one churning descriptor is either absent or /dev/zero, never an error or a half entry
                for (HandleEntry e : table.entries()) {
                    if (e.handle() > last) {
                        assertEquals("/dev/zero", e.name());
                        assertEquals(FdTypes.DEVICE, e.type());
                    }
                }
            }
        }
    }

    @Test
    void readsAnFdinfoLargerThanOneBuffer() throws IOException {
        // a Selector is an epoll descriptor; 400 registered pipes make its fdinfo ~30 KB, several read buffers long
        List<Pipe> pipes = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < 400; i++) {
                Pipe pipe = Pipe.open();
                pipes.add(pipe);
                pipe.source().configureBlocking(false).register(selector, SelectionKey.OP_READ);
            }
            selector.selectNow(); // the JDK hands registrations to epoll_ctl here
            int self = (int) ProcessHandle.current().pid();
            List<HandleEntry> epolls = ProcFdReader.read(self).ofType(FdTypes.EVENT_POLL).entries();
            // 400 pipes and the selector's own wake-up descriptor
            assertTrue(epolls.stream().anyMatch(e -> "401".equals(e.details().get("watches"))), "no epoll with 401 watches: " + epolls);
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    @Test
    void aProcessThatDoesNotExistIsTargetNotFound() throws IOException {
        // Files.readString would see only "3" of "32768": sysctl files answer reads at offset > 0 with end of file
        int pidMax = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
        JhtraceException e = assertThrows(JhtraceException.class, () -> ProcFdReader.read(pidMax + 1));
        assertEquals(Failure.TARGET_NOT_FOUND, e.failure());
        assertEquals("no process with pid " + (pidMax + 1), e.getMessage());
    }

    @Test
    void aZombieIsTargetNotFound() throws Exception {
        // sleep ends after its parent shell has become head, which never waits: a zombie until head ends
        try (RunningExample parent = RunningExample.start(List.of("sh", "-c", "sleep 0.3 & echo ready $!; exec head -c 1"))) {
            int zombie = Integer.parseInt(parent.lines().get(0).split(" ")[1]);
            for (int i = 0; i < 100 && !Files.readString(Path.of("/proc/" + zombie + "/stat")).contains(") Z "); i++) Thread.sleep(20);
            JhtraceException e = assertThrows(JhtraceException.class, () -> ProcFdReader.read(zombie));
            assertEquals(Failure.TARGET_NOT_FOUND, e.failure());
            assertEquals("process " + zombie + " has exited (a zombie its parent has not reaped)", e.getMessage());
        }
    }

    @Test
    void aPidBelowOneIsBadInput() {
        for (int pid : new int[]{0, -5}) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> ProcFdReader.read(pid));
            assertEquals(Failure.BAD_INPUT, e.failure());
        }
    }

    @Test
    void listsItsOwnJvm() {
        int self = (int) ProcessHandle.current().pid();
        HandleTable table = ProcFdReader.read(self);
        assertFalse(table.entries().isEmpty());
        // the JVM has its own jar files open
        assertTrue(table.entries().stream().anyMatch(e -> FdTypes.FILE.equals(e.type())
                && (e.name().endsWith(".jar") || e.name().endsWith("/lib/modules"))), table.entries().toString());
        for (HandleEntry e : table.entries()) assertNotNull(e.type(), e.toString());
    }

    @Test
    void anotherUsersProcessIsPermissionDenied() throws Exception {
        JhtraceException e = PermissionProbe.readAsUnprivileged((int) ProcessHandle.current().pid());
        assertEquals(Failure.PERMISSION_DENIED, e.failure(), e.getMessage());
        assertTrue(e.getMessage().contains("run jhtrace as"), e.getMessage());
    }

    private static int openFilesHardLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(hard);
            }
        }
        return 0;
    }

    @Test
    void readsNothingForNoSocketsButResolvesEachSocketFamily() {
        // a socket-free listing has no use for /proc/PID/net; keep that true (SocketTables loads lazily)
        SocketTables tables = new SocketTables(Path.of("/proc/self/net"));
        assertEquals(0, tables.tablesRead());
        assertNull(tables.find(-1));
        assertEquals(NetTable.SEARCH_ORDER.size(), tables.tablesRead(), "an unknown inode searches every table once");
        assertNull(tables.find(-2));
        assertEquals(NetTable.SEARCH_ORDER.size(), tables.tablesRead(), "and never reads one twice");
    }
}
