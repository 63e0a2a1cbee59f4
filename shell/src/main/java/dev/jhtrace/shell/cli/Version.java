package dev.jhtrace.shell.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * jhtrace's version, from the jar's manifest ({@code Implementation-Version}, which the JVM has at hand once it has
 * loaded a class of the jar: reading a resource from the jar cost {@code --version} some 8 ms here), else (classes run
 * from a build's folders) from the {@code jhtrace-version.properties} Maven writes; and the Java it runs on. Apart from
 * {@link VersionProvider} so that {@code jhtrace --version} loads no picocli class: picocli's classes cannot be
 * kept in the class-data-sharing archive (Java 5 class files), nor can a class implementing one of its interfaces.
 */
public final class Version {
    private Version() {
    }

    /** {@code jhtrace VERSION} and {@code Java VERSION on OS ARCH}. */
    public static String[] lines() throws IOException {
        String version = Version.class.getPackage().getImplementationVersion();
        if (version == null) {
            Properties p = new Properties();
            try (InputStream in = Version.class.getResourceAsStream("/jhtrace-version.properties")) {
                if (in != null) p.load(in);
            }
            version = p.getProperty("version", "(unknown version)");
        }
        return new String[] {"jhtrace ".concat(version),
                new StringBuilder("Java ").append(System.getProperty("java.version")).append(" on ").append(System.getProperty("os.name"))
                        .append(' ').append(System.getProperty("os.arch")).toString()};
    }
}
