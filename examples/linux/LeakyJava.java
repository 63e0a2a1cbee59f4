import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens and closes /etc/passwd WARMUP times in leakOne (so that it is compiled), then leaks /etc/hostname N times in it.
 * With a third argument "hold": says "ready" after the warm-up, leaks when a line comes on stdin, says "leaked N",
 * and runs on until stdin ends.
 */
public class LeakyJava {
    static final List<FileInputStream> kept = new ArrayList<>();

    static void leakOne(String path, boolean keep) throws Exception {
        FileInputStream in = new FileInputStream(path);
        if (keep) kept.add(in);
        else in.close();
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        boolean hold = args.length > 2 && args[2].equals("hold");
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in));
        for (int i = 0; i < warmup; i++) leakOne("/etc/passwd", false);
        if (hold) {
            System.out.println("ready");
            System.out.flush();
            stdin.readLine();
        }
        for (int i = 0; i < n; i++) leakOne("/etc/hostname", true);
        System.out.println("leaked " + kept.size());
        System.out.flush();
        if (hold) while (stdin.readLine() != null) { }
    }
}
