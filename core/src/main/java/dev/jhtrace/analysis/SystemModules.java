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

    /** ntdll, KERNELBASE, kernel32, libc and ld-linux, plus the kernel images and WoW64 layers kernel-mode and 32-bit traces show. */
    public static final SystemModules DEFAULT = of(List.of("ntdll", "KERNELBASE", "kernel32", "libc", "ld-linux",
            "nt", "ntoskrnl", "ntkrnlpa", "ntkrnlmp", "wow64", "wow64cpu", "wow64win", "libpthread"));

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

    private static String normalize(String module) {
        String m = module.substring(Math.max(module.lastIndexOf('/'), module.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
        for (String ext : new String[] {".dll", ".exe", ".sys"}) {
            if (m.endsWith(ext)) return m.substring(0, m.length() - ext.length());
        }
        return m;
    }
}
