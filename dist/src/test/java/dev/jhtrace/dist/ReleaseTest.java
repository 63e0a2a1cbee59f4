package dev.jhtrace.dist;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release as a user gets it: the tar.gz unpacked in an empty folder away from the source tree, its
 * launcher run from there with nothing of the build on hand (working directory, HOME and PATH of its own).
 */
@EnabledOnOs(OS.LINUX) // the POSIX launcher, tar, and /proc for handles
class ReleaseTest {
    private static final String VERSION = System.getProperty("jhtrace.version");
    private static final Path TAR = Path.of(System.getProperty("jhtrace.release.tar"));
    private static final Path ZIP = Path.of(System.getProperty("jhtrace.release.zip"));
    private static final Path WINDBG = Path.of(System.getProperty("jhtrace.shared", "../shared"), "fixtures", "windbg");
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    static Path place;
    private static Path home;
    /** A PATH with the tools the launcher uses and no java. */
    private static Path toolsOnly;

    @BeforeAll
    static void unpack() throws Exception {
        Path unpacked = Files.createDirectory(place.resolve("opt"));
        Result tar = run(unpacked, Map.of(), "tar", "xzf", TAR.toString());
        assertEquals(0, tar.code, tar.err);
        home = unpacked.resolve("jhtrace-" + VERSION);
        toolsOnly = Files.createDirectory(place.resolve("tools"));
        for (String tool : List.of("sh", "dirname", "readlink", "stat", "cksum", "cut", "tr", "mkdir", "mv", "rm", "sed", "head", "echo", "printf")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path p = Path.of(dir, tool);
                if (Files.isExecutable(p) && !Files.exists(toolsOnly.resolve(tool))) Files.createSymbolicLink(toolsOnly.resolve(tool), p);
            }
        }
    }

    private record Result(int code, String out, String err) {
    }

    /** Runs a command in {@code dir}, with HOME there too and the given environment over a PATH of system tools. */
    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", dir.toString());
        pb.environment().putAll(env);
        File out = Files.createTempFile(place, "out", ".txt").toFile();
        File err = Files.createTempFile(place, "err", ".txt").toFile();
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(out).redirectError(err).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ended: " + String.join(" ", command));
        return new Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    private static Result jhtrace(String... args) throws Exception {
        Path cwd = Files.createTempDirectory(place, "cwd");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/jhtrace").toString()));
        command.addAll(List.of(args));
        return run(cwd, Map.of("JAVA_HOME", JAVA_HOME), command.toArray(String[]::new));
    }

    @Test
    void theArchiveHoldsTheJarLaunchersManPagesCompletionDocsAndExamples() throws Exception {
        for (String file : List.of("lib/jhtrace.jar", "bin/jhtrace", "bin/jhtrace.cmd", "man/man1/jhtrace.1", "man/man1/jhtrace-handles.1",
                "completion/jhtrace_completion", "README.md", "docs/json.md", "docs/capture.md", "scripts/find-leaks.groovy",
                "examples/linux/demo-server.c", "examples/service/README.md")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/jhtrace")));
        assertTrue(Files.readString(home.resolve("man/man1/jhtrace-leaks.1")).contains(".TH \"JHTRACE\\-LEAKS\" \"1\""), "a troff man page");
        assertTrue(Files.readString(home.resolve("bin/jhtrace.cmd")).contains("\r\n"), "Windows line ends in the .cmd");
        Result man = run(place, Map.of(), "sh", "-c", "command -v man >/dev/null || exit 77; MANWIDTH=80 man -l " + home.resolve("man/man1/jhtrace-handles.1"));
        if (man.code != 77) assertTrue(man.out.contains("-o, --output=FILE"), man.out + man.err);
        Result completion = run(place, Map.of(), "bash", "-c", "source " + home.resolve("completion/jhtrace_completion") + " && complete -p jhtrace");
        assertEquals(0, completion.code, completion.err);
        assertTrue(completion.out.contains("jhtrace"), completion.out);

        // the zip holds the same jar
        Path unzipped = Files.createDirectory(place.resolve("unzipped"));
        Result unzip = run(unzipped, Map.of(), "sh", "-c", "command -v unzip >/dev/null || exit 77; unzip -q " + ZIP);
        if (unzip.code != 77) {
            assertEquals(0, unzip.code, unzip.err);
            assertArrayEquals(Files.readAllBytes(home.resolve("lib/jhtrace.jar")), Files.readAllBytes(unzipped.resolve("jhtrace-" + VERSION + "/lib/jhtrace.jar")));
        }
    }

    @Test
    void versionRunsFromTheUnpackedFolderAndMapsAClassDataArchiveMadeForIt() throws Exception {
        Result version = jhtrace("--version");
        assertEquals(0, version.code, version.err);
        assertTrue(version.out.startsWith("jhtrace " + VERSION + "\n"), version.out);
        assertEquals("", version.err, "nothing on stderr, no JVM warnings");
        // -Xshare:on makes a JVM that cannot map the archive fail: run through the launcher it must succeed
        Path cwd = Files.createTempDirectory(place, "cwd");
        Result strict = run(cwd, Map.of("JAVA_HOME", JAVA_HOME, "JHTRACE_JAVA_OPTS", "-Xshare:on -XX:TieredStopAtLevel=1"), home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, strict.code, strict.out + strict.err);
        assertTrue(strict.out.startsWith("jhtrace " + VERSION), strict.out);
        // an archive made for where it was unpacked, one per set of JVM options (none remade in turn)
        List<String> madeFor = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".jsa.for")).toList()) {
                String line = Files.readAllLines(p).get(0); // what it is for; the second line: the Java home
                if (line.startsWith(home.resolve("lib/jhtrace.jar") + " ")) madeFor.add(line);
            }
        }
        assertEquals(2, madeFor.size(), "the default options and -Xshare:on: " + madeFor);
        assertTrue(madeFor.stream().anyMatch(l -> l.endsWith(" -Xshare:on -XX:TieredStopAtLevel=1")), madeFor.toString());
    }

    @Test
    void theLauncherMapsJhtracesClassesFromItsArchive() throws Exception {
        assertEquals(0, jhtrace("--version").code); // the archive for this place and the default options, made once
        List<String> archives = archives(home);
        List<String> loaded = classLoads(home, Map.of());
        String mainLoaded = mainClassSource(loaded);
        assertTrue(mainLoaded.endsWith("source: shared objects file (top)"), "from the launcher's archive: " + mainLoaded);
        // the version needs no command line: picocli's classes come from the jar, never the archive, and cost
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" picocli.")).toList(), "--version loads no picocli class");
        // nor does it search the jar or the JDK's modules for a resource (its version is the manifest's, which the JVM
        // has): that search cost --version some 8 ms here
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" jdk.internal.loader.URLClassPath$JarLoader ")
                || l.contains(" jdk.internal.jimage.ImageReader ")).toList(), "--version reads no resource");
        assertEquals(archives, archives(home), "a logging option is no reason for another archive");
        // the control: without the archive the same log names the jar
        String without = mainClassSource(classLoads(home, Map.of("JHTRACE_CDS", "off")));
        assertTrue(without.contains("source: file:"), without);
    }

    @Test
    void theLauncherMapsTheArchivesWhereTheyWereMadeInsteadOfRelocatingThem() throws Exception {
        // relocating patches every pointer of the JDK's archive and jhtrace's on each start: more than --version's work
        Path cwd = Files.createTempDirectory(place, "cwd");
        String cdsLog = "-Xlog:cds=info:file=" + cwd.resolve("cds.log");
        Result r = run(cwd, Map.of("JAVA_HOME", JAVA_HOME, "JHTRACE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC " + cdsLog), home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, r.code, r.err);
        String log = Files.readString(cwd.resolve("cds.log"));
        assertTrue(log.contains("Mapped dynamic region"), log);
        assertFalse(log.contains("at an alternative address"), log);
        // the control: the option given back in JHTRACE_JAVA_OPTS wins, and this Java then relocates (the JDK's archive
        // alone, JHTRACE_CDS=off: other options would make another archive of jhtrace's, which a test here counts)
        Path other = Files.createTempDirectory(place, "cwd");
        Result relocated = run(other, Map.of("JAVA_HOME", JAVA_HOME, "JHTRACE_CDS", "off",
                        "JHTRACE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveRelocationMode=1 -Xlog:cds=info:file=" + other.resolve("cds.log")),
                home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, relocated.code, relocated.err);
        assertTrue(Files.readString(other.resolve("cds.log")).contains("at an alternative address"), Files.readString(other.resolve("cds.log")));
    }

    @Test
    void theLauncherAsksForTransparentHugePagesWhereTheKernelGivesThemOnRequest() throws Exception {
        // a short run's young generation is fresh memory: one page fault per 2 MB instead of per 4 KB
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean onRequest = Files.isReadable(thp) && Files.readString(thp).contains("[madvise]");
        String flags = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+PrintFlagsFinal";
        // JHTRACE_CDS=off: other options would make another archive, which a test here counts
        Result r = run(Files.createTempDirectory(place, "cwd"), Map.of("JAVA_HOME", JAVA_HOME, "JHTRACE_CDS", "off", "JHTRACE_JAVA_OPTS", flags),
                home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, r.code, r.err);
        assertEquals("", r.err, "no JVM warnings");
        assertEquals(onRequest, hugePages(r.out), "huge pages asked for exactly where the kernel gives them on request: " + onRequest);
        // the control: the option turned off in JHTRACE_JAVA_OPTS wins
        Result off = run(Files.createTempDirectory(place, "cwd"), Map.of("JAVA_HOME", JAVA_HOME, "JHTRACE_CDS", "off",
                "JHTRACE_JAVA_OPTS", flags + " -XX:-UseTransparentHugePages"), home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, off.code, off.err);
        assertFalse(hugePages(off.out));
    }

    /** The value of UseTransparentHugePages in a -XX:+PrintFlagsFinal listing. */
    private static boolean hugePages(String flagsFinal) {
        String line = flagsFinal.lines().filter(l -> l.matches("\\s*bool UseTransparentHugePages\\s+=.*")).findFirst()
                .orElseThrow(() -> new AssertionError("no UseTransparentHugePages in the flags"));
        return line.matches("\\s*bool UseTransparentHugePages\\s+= true\\b.*");
    }

    @Test
    void theLauncherFindsTheArchiveThatFitsWithoutChecksummingWhatItIsFor() throws Exception {
        // a fresh install of its own, so that the archive it makes is counted by no other test
        Path fresh = freshInstall("fresh");
        // a cksum first on the PATH that notes each run and does what cksum does
        Path bin = Files.createDirectory(fresh.resolveSibling("bin"));
        Path ran = fresh.resolveSibling("cksum-runs.txt");
        noting(bin, ran, List.of("cksum"));
        Map<String, String> env = Map.of("JAVA_HOME", JAVA_HOME, "PATH", bin + ":/usr/bin:/bin");
        // the control: the first run names the archive it makes with the checksum
        Result first = run(Files.createTempDirectory(place, "cwd"), env, fresh.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, first.code, first.err);
        assertTrue(Files.exists(ran), "the first run checksummed the new archive's name");
        long runsBefore = Files.readAllLines(ran).size();
        List<String> made = archives(fresh);
        // later runs read the archives' .for files instead (two processes fewer, some 25 ms of CPU here)
        Result second = run(Files.createTempDirectory(place, "cwd"), env, fresh.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, second.code, second.err);
        assertEquals(runsBefore, Files.readAllLines(ran).size(), "no cksum once an archive fits");
        assertEquals(made, archives(fresh), "none made again");
        String mainLoaded = mainClassSource(classLoads(fresh, Map.of()));
        assertTrue(mainLoaded.endsWith("source: shared objects file (top)"), "from the archive found: " + mainLoaded);
    }

    @Test
    void onceAnArchiveFitsTheLauncherRunsNoOtherProgramBeforeJava() throws Exception {
        // every program run (and every forked shell) costs --version some milliseconds: the common path runs none.
        // A fresh install, and the Java found on the PATH through a symlink, as /usr/bin/java is one
        Path fresh = freshInstall("noprograms");
        Path bin = Files.createDirectory(fresh.resolveSibling("bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(JAVA_HOME, "bin", "java"));
        // each tool the launcher might run, first on the PATH, noting its run before doing what the tool does
        Path ran = fresh.resolveSibling("runs.txt");
        noting(bin, ran, List.of("readlink", "stat", "cksum", "dirname", "sed", "head", "cut", "mkdir", "mv", "rm", "printf"));
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin");
        // the control: the first run names the archive it makes, through the wrappers (the java symlink it resolves by
        // the Java home the packaged archive's .for names, with test -ef)
        Result first = run(Files.createTempDirectory(place, "cwd"), env, fresh.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, first.code, first.err);
        List<String> firstRuns = Files.readAllLines(ran);
        assertTrue(firstRuns.contains("cksum"), "the first run's programs: " + firstRuns);
        Files.delete(ran);
        Result second = run(Files.createTempDirectory(place, "cwd"), env, fresh.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, second.code, second.err);
        assertTrue(second.out.startsWith("jhtrace " + VERSION + "\n"), second.out);
        assertFalse(Files.exists(ran), "programs run once an archive fits: " + (Files.exists(ran) ? Files.readAllLines(ran) : List.of()));
        // and the archive is used: the main class comes from it
        Path cwd = Files.createTempDirectory(place, "cwd");
        Path log = cwd.resolve("classes.log");
        Result logged = run(cwd, Map.of("PATH", bin + ":/usr/bin:/bin", "JHTRACE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:class+load=info:file=" + log),
                fresh.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, logged.code, logged.err);
        assertTrue(mainClassSource(Files.readAllLines(log)).endsWith("source: shared objects file (top)"), "from the archive found");
    }

    @Test
    void anArchiveOlderThanTheJarIsNotUsed() throws Exception {
        Path fresh = freshInstall("newerjar");
        assertEquals(0, run(Files.createTempDirectory(place, "cwd"), Map.of("JAVA_HOME", JAVA_HOME), fresh.resolve("bin/jhtrace").toString(), "--version").code);
        Path jar = fresh.resolve("lib/jhtrace.jar");
        Path archive = null;
        for (String a : archives(fresh)) {
            if (Files.readString(fresh.resolve("lib").resolve(a + ".for")).startsWith(jar + " ")) archive = fresh.resolve("lib").resolve(a);
        }
        assertTrue(archive != null, "an archive made for this place: " + archives(fresh));
        // a jar replaced after the archive was made (a rebuild in place): the archive's time is older than the jar's
        java.nio.file.attribute.FileTime older = java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000);
        Files.setLastModifiedTime(archive, older);
        assertEquals(0, run(Files.createTempDirectory(place, "cwd"), Map.of("JAVA_HOME", JAVA_HOME), fresh.resolve("bin/jhtrace").toString(), "--version").code);
        assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0, "the archive was made again for the newer jar");
    }

    @Test
    void theArchiveMadeAtPackageTimeIsUsedWhereTheReleaseWasStaged() throws Exception {
        // a JDK 17 archive fits only the jar path it was made with: the one made at package time fits the staged folder
        Path staged = TAR.resolveSibling("jhtrace-" + VERSION);
        List<String> archives = archives(staged);
        assertFalse(archives.isEmpty(), "package made an archive in " + staged.resolve("lib"));
        String mainLoaded = mainClassSource(classLoads(staged, Map.of()));
        assertTrue(mainLoaded.endsWith("source: shared objects file (top)"), "from the packaged archive: " + mainLoaded);
        assertEquals(archives, archives(staged), "the launcher used the archive it was shipped with, it made none");
    }

    /** The release unpacked in a folder of its own (named {@code name}), so that the archives it makes are its own. */
    private static Path freshInstall(String name) throws Exception {
        Path unpacked = Files.createTempDirectory(place, name);
        assertEquals(0, run(unpacked, Map.of(), "tar", "xzf", TAR.toString()).code);
        return unpacked.resolve("jhtrace-" + VERSION);
    }

    /** In {@code bin}, a script per tool that notes its name in {@code ran} and then does what the tool does. */
    private static void noting(Path bin, Path ran, List<String> tools) throws IOException {
        for (String tool : tools) {
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper, "#!/bin/sh\necho " + tool + " >> '" + ran + "'\nexec /usr/bin/" + tool + " \"$@\"\n");
            assertTrue(wrapper.toFile().setExecutable(true));
        }
    }

    /** The archives in an install's lib folder. */
    private static List<String> archives(Path install) throws IOException {
        try (Stream<Path> files = Files.list(install.resolve("lib"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa")).sorted().toList();
        }
    }

    /** The class-loading log of the JVM that an install's launcher starts for {@code --version}. */
    private static List<String> classLoads(Path install, Map<String, String> env) throws Exception {
        Path cwd = Files.createTempDirectory(place, "cwd");
        Path log = cwd.resolve("classes.log");
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("JAVA_HOME", JAVA_HOME);
        all.put("JHTRACE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:class+load=info:file=" + log);
        Result r = run(cwd, all, install.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(0, r.code, r.err);
        assertEquals("", r.err, "no JVM warnings");
        return Files.readAllLines(log);
    }

    /** Where that JVM took jhtrace's main class (the jar's Main-Class) from. */
    private static String mainClassSource(List<String> classLoads) {
        return classLoads.stream().filter(l -> l.contains(" dev.jhtrace.shell.EntryPoint source: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no load of the main class in " + classLoads.size() + " lines"));
    }

    @Test
    void handlesListsALiveProcess() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "120").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            long pid = sleeper.pid();
            // count only once sleep sleeps: between fork and exec the child still holds the JVM's pipes, and the
            // kernel names the process "sleep" before it closes the close-on-exec descriptors
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!sleeping(pid) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long descriptors;
            try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
                descriptors = fds.count();
            }
            Result r = jhtrace("handles", "--pid", String.valueOf(pid), "--json");
            assertEquals(0, r.code, r.err);
            assertTrue(r.out.contains("\"pid\" : " + pid + ","), r.out);
            assertTrue(r.out.contains("\"total\" : " + descriptors + ","), "the descriptors /proc shows: " + descriptors + "\n" + r.out);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    /** True once {@code pid} is sleep, asleep in its nanosleep (state S), so its exec is over. */
    private static boolean sleeping(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        return stat.contains("(sleep)") && stat.substring(stat.lastIndexOf(')') + 2).startsWith("S");
    }

    @Test
    void importReadsAWindbgLog() throws Exception {
        Result r = jhtrace("import", WINDBG.resolve("003-aio-cppresourceleaks-htrace-diff.txt").toAbsolutePath().toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("4 outstanding handles in pid 6120 [windbg-log]"), r.out);
        assertTrue(r.out.contains("CppResourceLeaks!LeakFileHandle+0x16f"), r.out);
    }

    @Test
    void noJavaIsOneLineAndExitOne() throws Exception {
        Path cwd = Files.createTempDirectory(place, "cwd");
        Result r = run(cwd, Map.of("PATH", toolsOnly.toString()), home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(1, r.code, r.err);
        assertEquals("jhtrace: no Java found: install Java 17 or newer, or set JAVA_HOME\n", r.err);
        assertEquals("", r.out);

        Result missing = run(cwd, Map.of("PATH", toolsOnly.toString(), "JAVA_HOME", cwd.resolve("nowhere").toString()), home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(1, missing.code);
        assertEquals(1, missing.err.lines().count(), missing.err);
        assertTrue(missing.err.startsWith("jhtrace: JAVA_HOME is "), missing.err);
    }

    @Test
    void aJavaOlderThan17IsOneLineAndExitOne() throws Exception {
        // a Java 11 as the launcher sees one: bin/java and the release file every JDK since 9 has
        Path old = Files.createDirectories(place.resolve("jdk-11/bin"));
        Files.writeString(old.resolve("java"), "#!/bin/sh\necho 'openjdk version \"11.0.2\"' >&2\n", StandardCharsets.UTF_8);
        assertTrue(old.resolve("java").toFile().setExecutable(true));
        Files.writeString(old.getParent().resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"11.0.2\"\n");
        Path cwd = Files.createTempDirectory(place, "cwd");
        Result r = run(cwd, Map.of("PATH", toolsOnly.toString(), "JAVA_HOME", old.getParent().toString()), home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(1, r.code, r.err);
        assertEquals("jhtrace: " + old.resolve("java") + " is Java 11.0.2; jhtrace needs Java 17 or newer (set JAVA_HOME to one)\n", r.err);

        Files.delete(old.getParent().resolve("release")); // then java -version says it
        Result noRelease = run(cwd, Map.of("PATH", toolsOnly.toString(), "JAVA_HOME", old.getParent().toString()), home.resolve("bin/jhtrace").toString(), "--version");
        assertEquals(1, noRelease.code, noRelease.err);
        assertTrue(noRelease.err.contains("is Java 11.0.2; jhtrace needs Java 17 or newer"), noRelease.err);
        assertFalse(noRelease.err.lines().count() > 1, noRelease.err);
    }
}
