package dev.jhtrace.capture;

/**
 * The verdict on one process of a capture of every process ({@code capture --all}).
 *
 * @param segment the process's segment
 * @param pid     the process
 * @param name    its name, or null when unknown
 * @param verdict the verdict on its records alone
 */
public record ProcessVerdict(int segment, int pid, String name, Verdict verdict) {
    /** "name (pid N)", or "pid N". */
    public String process() {
        return name == null ? "pid " + pid : name + " (pid " + pid + ")";
    }
}
