package dev.jhtrace.windbg;

/**
 * A line of a log the parser could not place (or placed only in part), with where it is.
 *
 * @param source  the log's name (usually its file name)
 * @param line    1-based line number in the source
 * @param message what is wrong with it
 * @param text    the line as cleaned for parsing
 */
public record ParseProblem(String source, int line, String message, String text) {

    /** {@code file:line: message: text}, the form {@code jhtrace import} prints. */
    @Override
    public String toString() {
        return source + ":" + line + ": " + message + ": " + text;
    }
}
