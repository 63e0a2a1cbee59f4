package dev.jhtrace.windbg;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one log. */
final class Problems {
    private final String source;
    private final List<ParseProblem> list = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    void add(LogLine line, String message) {
        list.add(new ParseProblem(source, line.number(), message, line.text().strip()));
    }

    List<ParseProblem> list() {
        return list;
    }
}
