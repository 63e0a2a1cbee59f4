package dev.jhtrace.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The modules whose frames are never "the code that leaks": the OS and C-runtime layers a handle is
 * created through. A group's leaking frame is the first frame outside them.
 * Names match without path, case or extension; {@code libc} matches {@code libc.so.6} and
 * {@code ld-linux} matches {@code ld-linux-x86-64.so.2}.
 *
 * @param names module names, lower case
 */
public record SystemModules(Set<String> names) {

    /**
     * ntdll, KERNELBASE, kernel32, libc and ld-linux, plus the kernel images and WoW64 layers kernel-mode and 32-bit
     * traces show, the JVM's native layers (a Java program's descriptors are opened through them), and the C++ standard
     * libraries (a {@code std::ifstream} opens through libstdc++).
     */
    public static final SystemModules DEFAULT = of(List.of("ntdll", "KERNELBASE", "kernel32", "libc", "ld-linux",
            "nt", "ntoskrnl", "ntkrnlpa", "ntkrnlmp", "wow64", "wow64cpu", "wow64win", "libpthread",
            "libjava", "libnio", "libnet", "libjvm", "libzip", "libstdc++", "libc++", "libc++abi"));

    /**
     * Functions that are runtime code wherever they are linked: Go's runtime and standard library layers a
     * descriptor is made through (a Go binary is one module; sync too: the runtime's poller is made under a
     * sync.Once at the first file opened), in a static binary the C library's entry points and internals,
     * which carry the executable's module name, and the C++ standard library's templates, inlined into the program
     * ({@code std::basic_ifstream::open} is a frame of the program's module).
     */
    private static final List<String> RUNTIME_FUNCTION_PREFIXES = List.of("runtime.", "runtime/", "syscall.", "internal/",
            "os.", "net.", "sync.", "__", "_IO_", "std::"); // "__": also __gnu_cxx::
    private static final Set<String> C_LIBRARY_FUNCTIONS = Set.of("open", "open64", "openat", "openat64", "creat", "creat64",
            "socket", "socketpair", "accept", "accept4", "pipe", "pipe2", "dup", "dup2", "dup3", "fcntl", "fcntl64", "eventfd",
            "timerfd_create", "signalfd", "epoll_create", "epoll_create1", "inotify_init", "inotify_init1", "fanotify_init",
            "memfd_create", "pidfd_open", "syscall", "fopen", "fopen64", "fdopen", "freopen", "freopen64", "tmpfile", "tmpfile64",
            "opendir", "fdopendir", "mkstemp", "mkstemp64", "mkostemp", "mkostemp64", "recvmsg", "popen", "posix_spawn");

    /** The module of JIT-compiled code named from a perf map (both Linux engines): Java methods, the JVM's stubs. */
    public static final String JIT_MODULE = "[jit]";
    /** The module of JIT-compiled code whose runtime wrote no perf map (or only an earlier process's): no names to be had. */
    public static final String JIT_WITHOUT_PERF_MAP = "[jit: no perf map]";
    /** Java code of the JDK itself: the layers a Java program's descriptors are opened through. */
    private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    public SystemModules {
        names = names.stream().map(SystemModules::normalize).collect(Collectors.toUnmodifiableSet());
    }

    public static SystemModules of(List<String> names) {
        return new SystemModules(Set.copyOf(names));
    }

    /** True when frames of this module are system frames. A null module (unresolved frame) is not. */
    public boolean contains(String module) {
        if (module == null) return false;
        String m = normalize(module);
        if (names.contains(m)) return true;
        for (String n : names) {
            if (m.startsWith(n) && m.length() > n.length()) {
                char c = m.charAt(n.length());
                if (c == '.' || c == '-') return true;
            }
        }
        return false;
    }

    /**
     * True when {@code frame} is system code: its module is one of these, or its function is runtime code
     * linked into another module (see {@link #RUNTIME_FUNCTION_PREFIXES}), or JIT code of the JDK or the JVM
     * ({@link #JIT_MODULE}: a method of a JDK package, a stub). An unresolved frame is not.
     */
    public boolean isSystem(dev.jhtrace.model.StackFrame frame) {
        if (contains(frame.module())) return true;
        String f = frame.function();
        if (f == null) return false;
        if (JIT_MODULE.equals(frame.module())) {
            // a JVM stub (Interpreter, StubRoutines (1), adapters) has no parameter list after its name, a space before
            // any parenthesis; a JDK method is the JDK's
            if (!f.contains("(") || f.contains(" (")) return true;
            for (String p : JDK_PACKAGES) {
                if (f.startsWith(p)) return true;
            }
            return false;
        }
        if (C_LIBRARY_FUNCTIONS.contains(f)) return true;
        for (String p : RUNTIME_FUNCTION_PREFIXES) {
            if (f.startsWith(p)) return true;
        }
        return false;
    }

    private static String normalize(String module) {
        String m = module.substring(Math.max(module.lastIndexOf('/'), module.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".dll", ".exe", ".sys"}) {
            if (m.endsWith(ext)) return m.substring(0, m.length() - ext.length());
        }
        return m;
    }
}
