package dev.jhtrace.shell.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * jhtrace's version, from the {@code jhtrace-version.properties} Maven writes, and the Java it runs on. Apart from
 * {@link VersionProvider} so that {@code jhtrace --version} loads no picocli class: picocli's classes cannot be
 * kept in the class-data-sharing archive (Java 5 class files), nor can a class implementing one of its interfaces.
 */
public final class Version {
    private Version() {
    }

    /** {@code jhtrace VERSION} and {@code Java VERSION on OS ARCH}. */
    public static String[] lines() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/jhtrace-version.properties")) {
            if (in != null) p.load(in);
        }
        return new String[] {"jhtrace ".concat(p.getProperty("version", "(unknown version)")),
                new StringBuilder("Java ").append(System.getProperty("java.version")).append(" on ").append(System.getProperty("os.name"))
                        .append(' ').append(System.getProperty("os.arch")).toString()};
    }
}
