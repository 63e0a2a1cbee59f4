package dev.jhtrace.dump;

import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.SymbolResolver;

import java.util.Comparator;
import java.util.List;

/**
 * Resolves addresses to {@code module+offset} from a dump's module list. That is all a dump can say
 * without symbol files, and enough to group leaks and find the leaking module. Immutable.
 */
public final class ModuleMap implements SymbolResolver {
    private final List<ModuleInfo> byBase;

    public ModuleMap(List<ModuleInfo> modules) {
        this.byBase = modules.stream().filter(m -> !m.path().isEmpty())
                .sorted(Comparator.comparing(ModuleInfo::baseOfImage, Long::compareUnsigned)).toList();
    }

    /** The module holding {@code address}, or null. */
    public ModuleInfo moduleAt(long address) {
        int lo = 0, hi = byBase.size() - 1, found = -1;
        while (lo <= hi) { // last module whose base is at or below the address
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(byBase.get(mid).baseOfImage(), address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) return null;
        ModuleInfo m = byBase.get(found);
        return m.contains(address) ? m : null;
    }

    /** The frame as {@code module+offset}; frames already resolved, or outside every module, are returned as they are. */
    @Override
    public StackFrame resolve(StackFrame frame) {
        if (!frame.isUnresolved()) return frame;
        ModuleInfo m = moduleAt(frame.address());
        if (m == null) return frame;
        return new StackFrame(frame.address(), m.name(), null, frame.address() - m.baseOfImage(), null, null);
    }

    public int size() {
        return byBase.size();
    }
}
