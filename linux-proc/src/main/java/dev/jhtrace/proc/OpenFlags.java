package dev.jhtrace.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the open flags {@code /proc/PID/fdinfo} shows ({@code flags: 02100002}) as {@code O_RDWR|O_LARGEFILE|O_CLOEXEC}.
 * A few flag values differ between architectures, so the table is chosen from the JVM's {@code os.arch}
 * (the target runs on the same kernel); bits without a name are kept as one octal remainder.
 */
public final class OpenFlags {

    private record Flag(long bits, String name) {
    }

    // asm-generic/fcntl.h values (x86, riscv, loongarch, s390 ...); the bits that move on arm and powerpc follow.
    private static final List<Flag> COMMON = List.of(
            new Flag(0100, "O_CREAT"), new Flag(0200, "O_EXCL"), new Flag(0400, "O_NOCTTY"),
            new Flag(01000, "O_TRUNC"), new Flag(02000, "O_APPEND"), new Flag(04000, "O_NONBLOCK"),
            new Flag(010000, "O_DSYNC"), new Flag(020000, "O_ASYNC"));
    private static final List<Flag> GENERIC_TAIL = List.of(
            new Flag(040000, "O_DIRECT"), new Flag(0100000, "O_LARGEFILE"), new Flag(0200000, "O_DIRECTORY"),
            new Flag(0400000, "O_NOFOLLOW"));
    private static final List<Flag> ARM_TAIL = List.of(
            new Flag(040000, "O_DIRECTORY"), new Flag(0100000, "O_NOFOLLOW"), new Flag(0200000, "O_DIRECT"),
            new Flag(0400000, "O_LARGEFILE"));
    private static final List<Flag> POWERPC_TAIL = List.of(
            new Flag(040000, "O_DIRECTORY"), new Flag(0100000, "O_NOFOLLOW"), new Flag(0200000, "O_LARGEFILE"),
            new Flag(0400000, "O_DIRECT"));
    private static final List<Flag> HIGH = List.of(
            new Flag(01000000, "O_NOATIME"), new Flag(02000000, "O_CLOEXEC"), new Flag(04000000, "O_SYNC"),
            new Flag(010000000, "O_PATH"), new Flag(020000000, "O_TMPFILE"));

    private final List<Flag> table;
    private final boolean known;

    private OpenFlags(List<Flag> tail, boolean known) {
        List<Flag> all = new ArrayList<>(COMMON);
        all.addAll(tail);
        all.addAll(HIGH);
        this.table = List.copyOf(all);
        this.known = known;
    }

    /** The flag names of the architecture this JVM runs on. */
    public static OpenFlags forThisMachine() {
        return forArch(System.getProperty("os.arch", ""));
    }

    /**
     * The flag names of one architecture, by its Java {@code os.arch} name ({@code amd64}, {@code aarch64} ...).
     * Architectures whose values are not tabulated here (mips, sparc, alpha, parisc) get the access mode only,
     * the rest as octal.
     */
    public static OpenFlags forArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (arch.startsWith("aarch64") || arch.startsWith("arm")) return new OpenFlags(ARM_TAIL, true);
        if (arch.startsWith("ppc") || arch.startsWith("power")) return new OpenFlags(POWERPC_TAIL, true);
        if (arch.startsWith("mips") || arch.startsWith("sparc") || arch.startsWith("alpha") || arch.startsWith("parisc")) {
            return new OpenFlags(GENERIC_TAIL, false);
        }
        return new OpenFlags(GENERIC_TAIL, true);
    }

    /** The flags as {@code O_ACCESS|O_X|...}, followed by {@code |0NNN} for bits without a name. */
    public String render(long flags) {
        StringBuilder out = new StringBuilder(switch ((int) (flags & 3)) {
            case 0 -> "O_RDONLY";
            case 1 -> "O_WRONLY";
            case 2 -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        long rest = flags & ~3L;
        if (known) {
            for (Flag f : table) {
                if ((rest & f.bits) == 0) continue;
                rest &= ~f.bits;
                out.append('|').append(f.name);
            }
        }
        if (rest != 0) out.append("|0").append(Long.toOctalString(rest));
        return out.toString();
    }
}
