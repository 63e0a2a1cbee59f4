package dev.jhtrace.windbg;

/**
 * One line of a log after clean-up, with the number of the source line it came from.
 *
 * @param number 1-based line number in the source
 * @param text   the cleaned text (no line terminator, no trailing blanks)
 */
record LogLine(int number, String text) {

    boolean isBlank() {
        return text.isBlank();
    }
}
