# jhtrace helper, sourced into gdb (>= 13) by dev.jhtrace.gdb.GdbEngine.
#
# Per-event work happens here, inside gdb, so a traced syscall costs two ptrace stops and a little
# Python, never an MI round trip: one `catch syscall` catchpoint whose condition is the convenience
# function $_jhtrace_syscall(). The function records the event and returns 0, so gdb resumes the
# thread at once and prints nothing. Java pulls the buffered events with -jhtrace-drain and resolves
# addresses with -jhtrace-symbolize (both gdb.MICommand, hence gdb 13).
#
# x86-64 only: syscall numbers and registers below are the x86-64 Linux ABI. At the syscall-entry
# stop the kernel has set rax to -ENOSYS; at the return stop rax holds the result and the argument
# registers (rdi, rsi, rdx, r10, r8, r9) are still intact, so almost all work is done at return.

import bisect
import os
import re
import stat
import struct
import threading
import time

import gdb

ENOSYS = -38
F_DUPFD = 0
F_DUPFD_CLOEXEC = 1030
CLOSE_RANGE_CLOEXEC = 4
O_CLOEXEC = 0o2000000
SOL_SOCKET = 1
SCM_RIGHTS = 1

# syscalls whose non-negative result is a new descriptor
FD_RESULT = {
    2: "open", 257: "openat", 437: "openat2", 85: "creat", 41: "socket", 43: "accept", 288: "accept4",
    32: "dup", 284: "eventfd", 290: "eventfd2", 213: "epoll_create", 291: "epoll_create1",
    283: "timerfd_create", 253: "inotify_init", 294: "inotify_init1", 300: "fanotify_init",
    319: "memfd_create", 434: "pidfd_open", 323: "userfaultfd", 298: "perf_event_open",
    425: "io_uring_setup",
}
SYS_CLOSE = 3
SYS_PIPE = 22
SYS_PIPE2 = 293
SYS_SOCKETPAIR = 53
SYS_DUP2 = 33
SYS_DUP3 = 292
SYS_FCNTL = 72
SYS_SIGNALFD = 282
SYS_SIGNALFD4 = 289
SYS_CLOSE_RANGE = 436
SYS_EXECVE = 59
SYS_EXECVEAT = 322
SYS_RECVMSG = 47
SYS_EXIT_GROUP = 231
# process creation: counted, since gdb does not follow children (their descriptors go untraced)
SYS_CLONE = 56
SYS_FORK = 57
SYS_VFORK = 58
SYS_CLONE3 = 435
CLONE_THREAD = 0x10000
# syscalls that need work before they run: a look at the descriptor table, (exec, exit) resolving
# the addresses recorded so far while the old image is still mapped, and (close, close_range) recording
# the release before the kernel frees the number: gdb handles one thread's stop at a time, so a close
# recorded at its return could land after another thread's open that already got the same number back
NEEDS_ENTRY = {SYS_CLOSE, SYS_DUP2, SYS_DUP3, SYS_CLOSE_RANGE, SYS_EXECVE, SYS_EXECVEAT, SYS_EXIT_GROUP}

ALL_SYSCALLS = sorted(set(FD_RESULT) | {SYS_CLOSE, SYS_PIPE, SYS_PIPE2, SYS_SOCKETPAIR, SYS_DUP2, SYS_DUP3,
                                        SYS_FCNTL, SYS_SIGNALFD, SYS_SIGNALFD4, SYS_CLOSE_RANGE, SYS_EXECVE,
                                        SYS_EXECVEAT, SYS_RECVMSG, SYS_EXIT_GROUP, SYS_CLONE, SYS_FORK, SYS_VFORK,
                                        SYS_CLONE3})


def _signed(v):
    v = int(v) & 0xFFFFFFFFFFFFFFFF
    return v - (1 << 64) if v >= (1 << 63) else v


def _int_arg(v):
    """A C int argument taken from a 64-bit register."""
    v = int(v) & 0xFFFFFFFF
    return v - (1 << 32) if v >= (1 << 31) else v


class State:
    """Everything the helper keeps: one instance per gdb."""

    def __init__(self):
        self.enabled = False
        self.catchpoint = None
        self.depth = 16
        self.capacity = 1_000_000
        self.events = []
        self.lost = 0
        self.order = 0
        self.pending = {}  # (pid or tid) -> what the entry stop learned
        self.unresolved = set()  # addresses recorded but not yet in symbols
        self.symbols = {}  # address -> what _symbolize found
        self.exit_table = None  # the descriptors open when the process called exit_group ("fd kind link")
        self.before_exit = False  # take the exit table when the program starts exiting, not at exit_group
        self.exiting = False  # the runtime's exit has begun (before_exit): the trace ends there
        self.exit_pcs = {}  # pc -> whether it is in a function of the runtime's exit
        self.children = 0  # processes created while traced (fork, vfork, clone without CLONE_THREAD)
        self.lock = threading.Lock()


STATE = State()


def _open_fds(pid):
    try:
        return [int(n) for n in os.listdir("/proc/%d/fd" % pid)]
    except OSError:
        return []


def _fd_table(pid):
    """The open descriptors as "fd kind link", kind telling what a path is (d, c, b, f) or "-" for non-paths."""
    rows = []
    for fd in _open_fds(pid):
        path = "/proc/%d/fd/%d" % (pid, fd)
        try:
            link = os.readlink(path)
        except OSError:
            continue
        kind = "-"
        if link.startswith("/"):
            try:
                mode = os.stat(path).st_mode
                kind = "d" if stat.S_ISDIR(mode) else "c" if stat.S_ISCHR(mode) else "b" if stat.S_ISBLK(mode) else "f"
            except OSError:
                kind = "f"
        rows.append("%d %s %s" % (fd, kind, link))
    return rows


def _cloexec_fds(pid):
    out = []
    for fd in _open_fds(pid):
        try:
            with open("/proc/%d/fdinfo/%d" % (pid, fd)) as f:
                for line in f:
                    if line.startswith("flags:"):
                        if int(line.split()[1], 8) & O_CLOEXEC:
                            out.append(fd)
                        break
        except OSError:
            pass
    return out


class Maps:
    """The target's mappings from /proc/PID/maps: executable ranges (to tell code from garbage an unwinder
    produced, e.g. in JIT code) and each file's load address (module+offset for frames without symbols).
    Re-read at most once per stack, when an address is in no known range (a library loaded since)."""

    def __init__(self):
        self.pid = 0
        self.ranges = []  # (start, end, path, executable), sorted
        self.bases = {}  # path -> lowest start address

    def reload(self, pid):
        ranges = []
        bases = {}
        try:
            with open("/proc/%d/maps" % pid) as f:
                for line in f:
                    parts = line.split(None, 5)
                    if len(parts) < 5:
                        continue
                    start, end = (int(x, 16) for x in parts[0].split("-"))
                    path = parts[5].strip() if len(parts) > 5 else ""
                    ranges.append((start, end, path, "x" in parts[1]))
                    if path.startswith("/") and (path not in bases or start < bases[path]):
                        bases[path] = start
        except OSError:
            return
        self.pid, self.ranges, self.bases = pid, ranges, bases

    def find(self, pc):
        for r in self.ranges:
            if r[0] <= pc < r[1]:
                return r
        return None

    def lookup(self, pid, pc, reloaded):
        """The mapping holding pc, re-reading the maps once when none does (reloaded: a one-element list)."""
        if self.pid != pid:
            self.reload(pid)
            reloaded[0] = True
        r = self.find(pc)
        if r is None and not reloaded[0]:
            self.reload(pid)
            reloaded[0] = True
            r = self.find(pc)
        return r


MAPS = Maps()


def _stack(depth, pid):
    """Return addresses, innermost first; a frame outside executable code (0x0, a heap or JIT-data address
    an unwinder produced) ends the stack, so garbage never splits one leak into many groups."""
    pcs = []
    reloaded = [False]
    frame = gdb.newest_frame()
    while frame is not None and len(pcs) < depth:
        pc = frame.pc()
        r = MAPS.lookup(pid, pc - 1 if pcs else pc, reloaded)
        if pc == 0 or r is None or not r[3]:
            break
        # an inlined call is a frame of gdb's at the pc of the function it is inlined into: one address, named
        # after that function (_symbolize), so it is not repeated
        if frame.type() != gdb.INLINE_FRAME:
            pcs.append(pc)
        if r[2] == "" or r[2].startswith("[anon"):
            # code in anonymous memory (a JIT's): gdb has no unwind information for it and guesses garbage;
            # a JVM's native method wrappers (and all its frames with -XX:+PreserveFramePointer) keep rbp chains
            _frame_pointer_chain(frame, pcs, depth, pid, reloaded)
            break
        try:
            frame = frame.older()
        except gdb.error:
            break
    return pcs


def _frame_pointer_chain(frame, pcs, depth, pid, reloaded):
    """Appends the callers found through saved frame pointers ([rbp] the caller's rbp, [rbp+8] the return
    address) while they point into executable code and up the stack."""
    try:
        inferior = gdb.selected_inferior()
        rbp = int(frame.read_register("rbp")) & 0xFFFFFFFFFFFFFFFF
        while len(pcs) < depth and rbp:
            saved_rbp, ret = struct.unpack("<QQ", bytes(inferior.read_memory(rbp, 16)))
            r = MAPS.lookup(pid, ret - 1, reloaded)
            if ret == 0 or r is None or not r[3]:
                return
            pcs.append(ret)
            if saved_rbp <= rbp:
                return
            rbp = saved_rbp
    except (gdb.error, gdb.MemoryError, ValueError):
        return


class PerfMap:
    """A JIT's symbol file, /tmp/perf-PID.map ("START SIZE NAME" in hex, as perf reads it): written by a JVM on
    `jcmd PID Compiler.perfmap` or at exit with -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit.
    Re-read when the file changes."""

    def __init__(self):
        self.key = None
        self.starts = []
        self.entries = []  # (start, end, name), sorted

    def lookup(self, pid, pc):
        """(name, start) of the JIT code holding pc; None when not in the map; False when there is no map."""
        path = "/tmp/perf-%d.map" % pid
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_mtime < _process_start_seconds(pid) - 1:
            return False  # an earlier process's with the same pid: its names would be wrong (1 s: btime's grain)
        key = (path, st.st_mtime_ns, st.st_size)
        if key != self.key:
            entries = []
            try:
                with open(path) as f:
                    for line in f:
                        parts = line.rstrip("\n").split(" ", 2)
                        if len(parts) == 3:
                            start = int(parts[0], 16)
                            entries.append((start, start + int(parts[1], 16), parts[2]))
            except (OSError, ValueError):
                return False
            entries.sort()
            self.key, self.entries, self.starts = key, entries, [e[0] for e in entries]
        i = bisect.bisect_right(self.starts, pc) - 1
        # the newest of overlapping entries wins (code cache space is reused): scan back a little
        for j in range(i, max(-1, i - 8), -1):
            start, end, name = self.entries[j]
            if start <= pc < end:
                return name, start
        return None


PERF_MAP = PerfMap()


def _process_start_seconds(pid):
    """When pid started, in seconds since the epoch (boot time plus stat's starttime); 0 when unknown."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat") as f:
            btime = next(int(line.split()[1]) for line in f if line.startswith("btime "))
        return btime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return 0


JAVA_METHOD = re.compile(r"^\S+ ([\w$.<>]+\(.*\))$")


def _java_method(name):
    """'void Leak.leakOne(java.lang.String, boolean)' -> 'Leak.leakOne(java.lang.String, boolean)' (the return
    type goes); a stub's name ('Interpreter', 'StubRoutines (1)') stays as it is."""
    m = JAVA_METHOD.match(name)
    return m.group(1) if m else name


def _inode(pid, fd):
    """The inode of the object behind fd (fdinfo's ino:, as the handle table reads it), or 0 when it is gone."""
    try:
        with open("/proc/%d/fdinfo/%d" % (pid, fd)) as f:
            for line in f:
                if line.startswith("ino:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _record(kinds_fds, tid, pid):
    """Appends events (kind 'O' or 'C', fd) that share one stack and time; an OPEN names its object's inode."""
    st = STATE
    now = time.time_ns()
    pcs = _stack(st.depth, pid)
    stack = ",".join("%x" % pc for pc in pcs)
    inodes = [_inode(pid, fd) if kind == "O" else 0 for kind, fd in kinds_fds]
    with st.lock:
        st.unresolved.update(pcs)
        for (kind, fd), ino in zip(kinds_fds, inodes):
            st.order += 1
            if len(st.events) >= st.capacity:
                st.lost += 1
                continue
            st.events.append("%d %s %d %d %d %d %d %s" % (st.order, kind, fd, pid, tid, now, ino, stack))


def _read_ints(addr, count):
    mem = gdb.selected_inferior().read_memory(addr, 4 * count)
    return list(struct.unpack("<%di" % count, bytes(mem)))


def _scm_rights_fds(msghdr):
    """Descriptors received through SCM_RIGHTS, from the msghdr after recvmsg returned."""
    inf = gdb.selected_inferior()
    hdr = bytes(inf.read_memory(msghdr, 56))
    control, controllen = struct.unpack_from("<QQ", hdr, 32)
    if control == 0 or controllen < 16:
        return []
    data = bytes(inf.read_memory(control, min(controllen, 65536)))
    fds = []
    off = 0
    while off + 16 <= len(data):
        clen, level, ctype = struct.unpack_from("<Qii", data, off)
        if clen < 16:
            break
        if level == SOL_SOCKET and ctype == SCM_RIGHTS:
            n = (min(clen, len(data) - off) - 16) // 4
            fds.extend(struct.unpack_from("<%di" % n, data, off + 16))
        off += (clen + 7) & ~7
    return fds


def _resolve_recorded():
    """Symbolizes every recorded address while the image that holds it is still mapped."""
    st = STATE
    with st.lock:
        todo = [pc for pc in st.unresolved if pc not in st.symbols]
        st.unresolved.clear()
    for pc in todo:
        try:
            st.symbols[pc] = _symbolize(pc)  # final: the image goes away
        except gdb.error:
            pass


def _remember(pc, frame):
    """Keeps what pc resolved to, unless it waits for a live JIT's perf map (asked for later, the answer may change)."""
    if frame.get("module") != "[jit: no perf map]":
        STATE.symbols[pc] = frame
    return frame


# functions through which a runtime's own exit closes what the program left open: libc's exit (atexit handlers,
# C++ static destructors), the dynamic linker's destructors, Python's finalization (it closes its file objects)
EXIT_FUNCTIONS = {"exit", "__GI_exit", "__run_exit_handlers", "_dl_fini", "Py_FinalizeEx", "Py_Exit"}
MAX_EXIT_WALK = 256


def _called_by_exit():
    """True when the selected thread's whole stack holds a function of EXIT_FUNCTIONS (names cached per pc)."""
    st = STATE
    frame = gdb.newest_frame()
    n = 0
    while frame is not None and n < MAX_EXIT_WALK:
        pc = frame.pc()
        known = st.exit_pcs.get(pc)
        if known is None:
            known = st.exit_pcs[pc] = frame.name() in EXIT_FUNCTIONS
        if known:
            return True
        n += 1
        try:
            frame = frame.older()
        except gdb.error:
            return False
    return False


def _start_exit(pid):
    """The program starts exiting (before_exit): its table now is the exit table; nothing after is traced."""
    st = STATE
    st.exit_table = _fd_table(pid)
    st.exiting = True
    _resolve_recorded()


def _on_entry(nr, frame, pid, tid):
    if nr == SYS_EXIT_GROUP:
        # what the process still holds as it exits (the kernel closes these without a close call)
        if not STATE.exiting:
            STATE.exit_table = _fd_table(pid)
        _resolve_recorded()
    elif nr in (SYS_CLOSE, SYS_CLOSE_RANGE) and STATE.before_exit and _called_by_exit():
        _start_exit(pid)
    elif nr in (SYS_DUP2, SYS_DUP3):
        old = _int_arg(frame.read_register("rdi"))
        new = _int_arg(frame.read_register("rsi"))
        STATE.pending[tid] = old != new and os.path.exists("/proc/%d/fd/%d" % (pid, new))
    elif nr == SYS_CLOSE:
        fd = _int_arg(frame.read_register("rdi"))
        # close frees the number even when it fails with EINTR; a number that is not open (EBADF) is no event
        if fd >= 0 and os.path.lexists("/proc/%d/fd/%d" % (pid, fd)):
            _record([("C", fd)], tid, pid)
    elif nr == SYS_CLOSE_RANGE:
        flags = int(frame.read_register("rdx"))
        if not flags & CLOSE_RANGE_CLOEXEC:
            first = int(frame.read_register("rdi")) & 0xFFFFFFFF
            last = int(frame.read_register("rsi")) & 0xFFFFFFFF
            closed = sorted(fd for fd in _open_fds(pid) if first <= fd <= last)
            if closed:
                _record([("C", fd) for fd in closed], tid, pid)
    else:  # execve, execveat: the exec'ing thread becomes the leader, so key by process
        STATE.pending[("exec", pid)] = _cloexec_fds(pid)
        _resolve_recorded()


def _on_return(nr, ret, frame, pid, tid):
    if nr in FD_RESULT:
        _record([("O", ret)], tid, pid)
    elif nr in (SYS_PIPE, SYS_PIPE2):
        _record([("O", fd) for fd in _read_ints(int(frame.read_register("rdi")), 2)], tid, pid)
    elif nr == SYS_SOCKETPAIR:
        _record([("O", fd) for fd in _read_ints(int(frame.read_register("r10")), 2)], tid, pid)
    elif nr == SYS_FCNTL:
        if _int_arg(frame.read_register("rsi")) in (F_DUPFD, F_DUPFD_CLOEXEC):
            _record([("O", ret)], tid, pid)
    elif nr in (SYS_SIGNALFD, SYS_SIGNALFD4):
        if _int_arg(frame.read_register("rdi")) == -1:  # only a new signalfd; else an existing one was updated
            _record([("O", ret)], tid, pid)
    elif nr in (SYS_DUP2, SYS_DUP3):
        was_open = STATE.pending.pop(tid, False)
        if _int_arg(frame.read_register("rdi")) != ret:
            _record(([("C", ret)] if was_open else []) + [("O", ret)], tid, pid)
    elif nr in (SYS_EXECVE, SYS_EXECVEAT):
        closed = STATE.pending.pop(("exec", pid), [])
        if closed:
            _record([("C", fd) for fd in closed], tid, pid)
    elif nr in (SYS_FORK, SYS_VFORK):
        STATE.children += 1
    elif nr == SYS_CLONE:
        if not int(frame.read_register("rdi")) & CLONE_THREAD:
            STATE.children += 1
    elif nr == SYS_CLONE3:
        flags = struct.unpack("<Q", bytes(gdb.selected_inferior().read_memory(int(frame.read_register("rdi")), 8)))[0]
        if not flags & CLONE_THREAD:
            STATE.children += 1
    elif nr == SYS_RECVMSG:
        fds = _scm_rights_fds(int(frame.read_register("rsi")))
        if fds:
            _record([("O", fd) for fd in fds], tid, pid)


class SyscallHook(gdb.Function):
    """$_jhtrace_syscall(): the catchpoint condition. Records, then returns 0 so gdb does not stop."""

    def __init__(self):
        super().__init__("_jhtrace_syscall")

    def invoke(self):
        try:
            frame = gdb.newest_frame()
            rax = _signed(frame.read_register("rax"))
            nr = int(frame.read_register("orig_rax"))
            ptid = gdb.selected_thread().ptid
            pid, tid = ptid[0], ptid[1]
            if STATE.exiting:
                pass  # the runtime's exit (before_exit): the table was taken, the trace has ended
            elif rax == ENOSYS:
                if nr in NEEDS_ENTRY:
                    _on_entry(nr, frame, pid, tid)
            elif rax >= 0:
                _on_return(nr, rax, frame, pid, tid)
            elif nr in (SYS_EXECVE, SYS_EXECVEAT):
                STATE.pending.pop(("exec", pid), None)
            elif nr in (SYS_DUP2, SYS_DUP3):
                STATE.pending.pop(tid, None)
        except Exception as e:  # never stop the target because of the helper
            gdb.write("jhtrace: %s\n" % e, gdb.STDLOG)
        return 0


def _arg_int(argv, i, default):
    return int(argv[i]) if len(argv) > i else default


class EnableCommand(gdb.MICommand):
    """-jhtrace-enable DEPTH CAPACITY [BEFORE_EXIT]: installs the catchpoint (target must be stopped)."""

    def __init__(self):
        super().__init__("-jhtrace-enable")

    def invoke(self, argv):
        st = STATE
        st.depth = max(1, _arg_int(argv, 0, 16))
        st.capacity = max(1, _arg_int(argv, 1, 1_000_000))
        st.before_exit = _arg_int(argv, 2, 0) == 1
        if st.catchpoint is None:
            gdb.execute("catch syscall " + " ".join(str(n) for n in ALL_SYSCALLS), to_string=True)
            bp = gdb.breakpoints()[-1]
            bp.silent = True
            bp.condition = "$_jhtrace_syscall()"
            st.catchpoint = bp
        st.enabled = True
        return {"catchpoint": str(st.catchpoint.number), "syscalls": str(len(ALL_SYSCALLS))}


class DisableCommand(gdb.MICommand):
    """-jhtrace-disable: removes the catchpoint; buffered events stay for -jhtrace-drain."""

    def __init__(self):
        super().__init__("-jhtrace-disable")

    def invoke(self, argv):
        st = STATE
        if st.catchpoint is not None:
            if st.catchpoint.is_valid():
                st.catchpoint.delete()
            st.catchpoint = None
        st.enabled = False
        st.pending.clear()
        return {"enabled": "0"}


class DrainCommand(gdb.MICommand):
    """-jhtrace-drain [MAX]: hands over up to MAX buffered events ("order kind fd pid tid nanos inode pc,pc..")."""

    def __init__(self):
        super().__init__("-jhtrace-drain")

    def invoke(self, argv):
        st = STATE
        limit = _arg_int(argv, 0, 20000)
        with st.lock:
            out = st.events[:limit]
            del st.events[:limit]
            result = {"events": out, "remaining": str(len(st.events)), "lost": str(st.lost),
                      "order": str(st.order), "enabled": "1" if st.enabled else "0", "children": str(st.children)}
            if st.exit_table is not None:
                result["exitTable"] = st.exit_table
            return result


def _module_of(pc):
    name = gdb.solib_name(pc)
    if name is None and gdb.block_for_pc(pc) is not None:
        name = gdb.current_progspace().filename  # debug info but no shared library: the executable
    return os.path.basename(name) if name else None


def _symbolize(pc):
    out = {"addr": "0x%x" % pc}
    look = pc - 1 if pc > 0 else pc  # a return address points after the call
    func = None
    start = None
    try:
        block = gdb.block_for_pc(look)
        while block is not None and block.function is None:
            block = block.superblock
        # the function the code belongs to, not one inlined into it (its blocks nest inside with their own function)
        while block is not None and block.superblock is not None and block.superblock.function is not None:
            block = block.superblock
        if block is not None:
            func = block.function.print_name
            start = block.start
    except RuntimeError:
        pass
    if func is None:
        text = gdb.execute("info symbol 0x%x" % look, to_string=True).strip()
        if not text.startswith("No symbol"):
            # "NAME + OFF in section S of /path" or "NAME in section S"
            head = text.split(" in section ")[0]
            parts = head.split(" + ")
            func = parts[0]
            start = look - (int(parts[1]) if len(parts) > 1 else 0)
            if " of " in text:
                out["module"] = os.path.basename(text.rsplit(" of ", 1)[1])
    if "module" not in out:
        mod = _module_of(look)
        if mod:
            out["module"] = mod
    # the maps always know the file: the module of code without debug info (a static binary's libc), and
    # for code without any symbol (a stripped binary) module+offset from the file's load address
    pid = gdb.selected_inferior().pid
    r = MAPS.lookup(pid, look, [False]) if pid and ("module" not in out or func is None) else None
    if r is not None and r[2].startswith("/"):
        out.setdefault("module", os.path.basename(r[2]))
    elif func is None and r is not None and r[3]:
        # anonymous executable memory: a JIT's code, named by its perf map when it writes one
        jit = PERF_MAP.lookup(pid, look)
        if jit:
            out["module"] = "[jit]"
            func = _java_method(jit[0])
            start = jit[1]
        else:
            out["module"] = "[jit]" if jit is None else "[jit: no perf map]"
    if func is not None:
        out["func"] = func
        out["offset"] = str(pc - start)
    elif r is not None and r[2].startswith("/"):
        out["offset"] = str(pc - MAPS.bases[r[2]])
    sal = gdb.find_pc_line(look)
    if sal.symtab is not None and sal.line:
        out["file"] = sal.symtab.filename
        out["line"] = str(sal.line)
    return out


class SymbolizeCommand(gdb.MICommand):
    """-jhtrace-symbolize ADDR...: module, function, offset, file and line for each address."""

    def __init__(self):
        super().__init__("-jhtrace-symbolize")

    def invoke(self, argv):
        frames = []
        for a in argv:
            try:
                pc = int(a, 0)
                known = STATE.symbols.get(pc)
                if known is None:
                    known = _remember(pc, _symbolize(pc))
                frames.append(known)
            except (gdb.error, ValueError) as e:
                frames.append({"addr": a, "error": str(e)})
        return {"frames": frames}


JOB_STOP_SIGNALS = {"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU"}
SIGCONT_BIT = 1 << 17  # SIGCONT (18) in the pending masks of /proc/PID/status


class JobControl:
    """Job-control stops as without a tracer. gdb reports these signals (handle ... stop noprint pass) at two
    kinds of stop: the signal's delivery, where PTRACE_GETSIGINFO works ($_siginfo), and the group-stop that
    follows when its action is to stop, where it fails. A delivery is continued with its signal, so the kernel
    applies the disposition (handler, ignore, stop) as it would untraced. A group-stop is held: gdb would
    resume it at once (under PTRACE_ATTACH a tracee's group-stop lasts only as long as the tracer keeps it),
    so the held threads stay stopped (state t, the stop reported to the real parent) until a SIGCONT is
    pending, then all are resumed and the SIGCONT is delivered (its handler runs).

    While a stop is held, a marker file exists (when jhtrace named one): should gdb die, the stop that the
    kernel leaves behind is the target's own, and jhtrace's rescues must not continue it."""

    def __init__(self):
        self.held = {}  # global thread number -> gdb.InferiorThread held in a group-stop
        self.watching = False
        self.lock = threading.Lock()
        self.marker = None

    def _mark(self, held):
        if self.marker is None:
            return
        try:
            if held:
                os.close(os.open(self.marker, os.O_CREAT | os.O_WRONLY, 0o600))
            else:
                os.unlink(self.marker)
        except OSError:
            pass

    def on_stop(self, event):
        if not isinstance(event, gdb.SignalEvent) or event.stop_signal not in JOB_STOP_SIGNALS:
            return
        thread = getattr(event, "inferior_thread", None) or gdb.selected_thread()
        if thread is None:
            return
        try:
            thread.switch()
            int(gdb.parse_and_eval("$_siginfo")["si_signo"])  # PTRACE_GETSIGINFO: fails at a group-stop
            delivery = True
        except gdb.error:
            delivery = False
        if delivery:
            gdb.post_event(lambda t=thread: _resume(t, "continue"))
            return
        with self.lock:
            if not self.held:
                self._mark(True)
            self.held[thread.global_num] = thread
            if not self.watching:
                self.watching = True
                threading.Thread(target=self._watch, args=(thread.ptid[0],), name="jhtrace-jobcontrol", daemon=True).start()

    def stopped(self):
        with self.lock:
            return len(self.held)

    def _watch(self, pid):
        while True:
            time.sleep(0.02)
            if _sigcont_pending(pid):
                gdb.post_event(self._continue_all)
                return

    def _continue_all(self):
        with self.lock:
            held = list(self.held.values())
            self.held.clear()
            self.watching = False
            self._mark(False)
        # a group-stop is left without a signal; the pending SIGCONT is then delivered (nostop pass)
        for t in held:
            _resume(t, "signal 0")


def _resume(thread, command):
    try:
        if thread.is_valid() and thread.is_stopped():
            thread.switch()
            gdb.execute(command, to_string=True)
    except gdb.error as e:
        gdb.write("jhtrace: %s\n" % e, gdb.STDLOG)


def _sigcont_pending(pid):
    """True when a SIGCONT waits for the process (shared) or for any of its threads; also when it is gone."""
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/status" % (pid, task)) as f:
                for line in f:
                    if line.startswith(("SigPnd:", "ShdPnd:")) and int(line.split()[1], 16) & SIGCONT_BIT:
                        return True
        return False
    except OSError:
        return not os.path.exists("/proc/%d" % pid)


JOB_CONTROL = JobControl()
gdb.events.stop.connect(JOB_CONTROL.on_stop)


class JobStopCommand(gdb.MICommand):
    """-jhtrace-job-stop: how many threads are held in a job-control stop (the target was told to stop)."""

    def __init__(self):
        super().__init__("-jhtrace-job-stop")

    def invoke(self, argv):
        return {"held": str(JOB_CONTROL.stopped())}


class JobStopMarkerCommand(gdb.MICommand):
    """-jhtrace-job-stop-marker PATH: the file that exists while a job-control stop is held."""

    def __init__(self):
        super().__init__("-jhtrace-job-stop-marker")

    def invoke(self, argv):
        JOB_CONTROL.marker = argv[0]
        return {"marker": argv[0]}


def _silence_and_stop():
    """Parent (jhtrace) died: nobody reads our output any more; stop every thread before detaching."""
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 1)  # never die of SIGPIPE mid-detach
        os.dup2(devnull, 2)
    except OSError:
        pass
    if STATE.catchpoint is not None and STATE.catchpoint.is_valid():
        STATE.catchpoint.delete()
        STATE.catchpoint = None
    try:
        gdb.execute("interrupt -a", to_string=True)
    except gdb.error:
        pass


def _try_detach(force):
    """Detaches once every thread is stopped (detaching running threads can hang gdb 13), then exits."""
    inferior = gdb.selected_inferior()
    if not force and inferior.pid != 0 and not all(t.is_stopped() for t in inferior.threads()):
        return
    try:
        if inferior.pid != 0:
            gdb.execute("detach", to_string=True)
    except gdb.error:
        pass
    os._exit(0)


def _watchdog(parent):
    while os.getppid() == parent:
        time.sleep(0.1)
    gdb.post_event(_silence_and_stop)
    deadline = time.time() + 5
    while True:
        time.sleep(0.05)
        force = time.time() > deadline
        gdb.post_event(lambda f=force: _try_detach(f))


class WatchdogCommand(gdb.MICommand):
    """-jhtrace-watchdog PARENT_PID: detach and quit when PARENT_PID stops being gdb's parent."""

    def __init__(self):
        super().__init__("-jhtrace-watchdog")
        self.stdin_writer = None

    def invoke(self, argv):
        parent = int(argv[0]) if argv else os.getppid()
        # Hold a write end of our own stdin pipe: when jhtrace dies, gdb then sees no EOF (which would make
        # it quit and detach with threads running) and the watchdog detaches carefully instead.
        try:
            if self.stdin_writer is None and os.readlink("/proc/self/fd/0").startswith("pipe:"):
                self.stdin_writer = os.open("/proc/self/fd/0", os.O_WRONLY)
        except OSError:
            pass
        threading.Thread(target=_watchdog, args=(parent,), name="jhtrace-watchdog", daemon=True).start()
        return {"parent": str(parent), "ppid": str(os.getppid()), "holds-stdin": "1" if self.stdin_writer else "0"}


SyscallHook()
EnableCommand()
DisableCommand()
DrainCommand()
SymbolizeCommand()
WatchdogCommand()
JobStopCommand()
JobStopMarkerCommand()
