package dev.jhtrace.shell.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;

/** picocli's {@code --version}: {@link Version}'s lines. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        return Version.lines();
    }
}
