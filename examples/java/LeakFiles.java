import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Leaks N open files (default 25) through FileInputStream in leakOne(), keeping them reachable so no
 * cleaner closes them, then prints "leaked N" and exits. Run: java LeakFiles.java [N]
 */
public class LeakFiles {
    private static final List<FileInputStream> KEPT = new ArrayList<>();

    static void leakOne() throws IOException {
        KEPT.add(new FileInputStream("/etc/hostname"));
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        for (int i = 0; i < n; i++) leakOne();
        // the JVM's exit does not close what is still reachable: these stay open until the process is gone
        System.out.println("leaked " + KEPT.size());
    }
}
