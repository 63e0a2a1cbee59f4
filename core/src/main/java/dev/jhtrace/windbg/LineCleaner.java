package dev.jhtrace.windbg;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes what copying a WinDbg transcript into e-mail, issues and Markdown does to it, line by line:
 * CR line ends, trailing blanks, non-breaking spaces, {@code > } blockquote markers, a common indent of
 * 4 or more spaces (indented code blocks), {@code **bold**} commands, backslash-escaped separator and
 * asterisk lines, HTML entities, code fences, and separator lines that Markdown turned into {@code ## } headings.
 * Leading {@code # } lines are fixture metadata and are skipped. Every output line keeps its source line number.
 */
final class LineCleaner {
    static final String SEPARATOR = "--------------------------------------";

    private static final Pattern BOLD_PROMPT = Pattern.compile("^(.*?>\\s*)\\*\\*(.*?)\\*\\*\\s*$");
    private static final Pattern ESCAPED_RULE = Pattern.compile("^[\\\\\\-*=_#]+$");
    private static final Pattern FENCE = Pattern.compile("^(```|~~~).*$");
    private static final Pattern HEADING = Pattern.compile("^##(?: (.*))?$");

    private LineCleaner() {
    }

    static List<LogLine> clean(String text) {
        String[] raw = split(text);
        int n = raw.length;
        int first = 0;
        while (first < n && (raw[first].startsWith("# ") || raw[first].equals("#"))) first++;

        String[] lines = new String[n];
        for (int i = first; i < n; i++) {
            String l = raw[i];
            if (l.indexOf('\u00A0') >= 0) l = l.replace('\u00A0', ' ');
            lines[i] = stripTrailing(l);
        }

        // Blockquote markers: no WinDbg output line starts with '>', so they are stripped wherever they appear
        // (a post may quote only part of a transcript), nested quotes included.
        for (int i = first; i < n; i++) {
            String l = lines[i];
            if (!l.startsWith(">")) continue;
            while (l.startsWith(">")) l = l.startsWith("> ") ? l.substring(2) : l.substring(1);
            lines[i] = stripTrailing(l);
        }

        int indent = Integer.MAX_VALUE;
        for (int i = first; i < n; i++) {
            String l = lines[i];
            if (l.isEmpty()) continue;
            int k = 0;
            while (k < l.length() && l.charAt(k) == ' ') k++;
            indent = Math.min(indent, k);
        }
        // Only a Markdown code block indents everything by 4+; WinDbg itself always starts some lines at column 0.
        int strip = indent >= 4 && indent != Integer.MAX_VALUE ? indent : 0;

        List<LogLine> out = new ArrayList<>(n);
        for (int i = first; i < n; i++) {
            String l = lines[i];
            if (strip > 0 && !l.isEmpty()) l = l.substring(strip);
            cleanOne(i + 1, l, out);
        }
        return out;
    }

    private static void cleanOne(int number, String l, List<LogLine> out) {
        // Cheap first-character tests keep the regexes off the common lines.
        if ((l.startsWith("`") || l.startsWith("~")) && FENCE.matcher(l).matches()) return; // Markdown markup, not debugger output
        if (l.indexOf('&') >= 0) l = decodeEntities(l);
        if (l.startsWith("\\") && ESCAPED_RULE.matcher(l).matches()) l = l.replace("\\", "");
        if (l.contains("**")) {
            Matcher bold = BOLD_PROMPT.matcher(l);
            if (bold.matches()) l = bold.group(1) + bold.group(2);
        }
        Matcher heading = l.startsWith("##") ? HEADING.matcher(l) : null;
        if (heading != null && heading.matches()) {
            // A line followed by a 38-dash separator became a Markdown "## " heading.
            String rest = heading.group(1) == null ? "" : heading.group(1).strip();
            if (!rest.isEmpty()) out.add(new LogLine(number, rest));
            out.add(new LogLine(number, SEPARATOR));
            return;
        }
        out.add(new LogLine(number, l));
    }

    /** Splits at CR LF, CR or LF; a terminator at the very end starts no further line. */
    private static String[] split(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0, len = text.length();
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                parts.add(text.substring(start, i));
                if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') i++;
                start = i + 1;
            }
        }
        if (start < len) parts.add(text.substring(start));
        return parts.toArray(new String[0]);
    }

    private static String decodeEntities(String l) {
        return l.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }
}
