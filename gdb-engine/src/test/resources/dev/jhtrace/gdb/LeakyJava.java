import java.io.FileInputStream;
import java.util.ArrayList;
import java.util.List;

/** Opens and closes /etc/passwd WARMUP times in leakOne (so that it is compiled), then leaks /etc/hostname N times in it. */
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
        for (int i = 0; i < warmup; i++) leakOne("/etc/passwd", false);
        for (int i = 0; i < n; i++) leakOne("/etc/hostname", true);
        System.out.println("leaked " + kept.size());
    }
}
