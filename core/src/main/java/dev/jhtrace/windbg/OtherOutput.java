package dev.jhtrace.windbg;

import java.util.List;

/**
 * Output of a command jhtrace does not interpret ({@code g}, {@code r}, break-in messages, verifier stops):
 * kept verbatim so that nothing in a log is silently lost.
 *
 * @param lines the lines, cleaned, blank lines left out
 */
public record OtherOutput(List<String> lines) implements OutputContent {
    public OtherOutput {
        lines = List.copyOf(lines);
    }
}
