package dev.jhtrace.shell.repl;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** The processes on this machine, for {@code ps} and for completing pids and names. */
final class Processes {
    private Processes() {
    }

    record Info(int pid, String name) {
    }

    static List<Info> list() {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && p.pid() <= Integer.MAX_VALUE)
                .map(p -> new Info((int) p.pid(), p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("")))
                .filter(i -> !i.name().isEmpty())
                .sorted(Comparator.comparingInt(Info::pid))
                .toList();
    }
}
