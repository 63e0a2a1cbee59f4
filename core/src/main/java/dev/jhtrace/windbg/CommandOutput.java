package dev.jhtrace.windbg;

/**
 * One command of a log and what it printed.
 *
 * @param prompt  the prompt it was typed at ({@code 0:000}, {@code 0:000:x86}, {@code kd} ...), or null for
 *                output pasted without its command line
 * @param command the command as typed (trimmed, Markdown bold removed), or null when the log does not show it
 * @param line    1-based source line of the prompt, or of the first output line when there is no prompt
 * @param content the parsed output
 */
public record CommandOutput(String prompt, String command, int line, OutputContent content) {
}
