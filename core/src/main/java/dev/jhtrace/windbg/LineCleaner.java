package dev.jhtrace.windbg;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes what copying a WinDbg transcript into e-mail, issues and Markdown does to it, line by line:
 * CR line ends, trailing blanks, non-breaking spaces, {@code > } blockquote prefixes, a common indent of
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
        String[] raw = text.split("\r\n|\r|\n", -1);
        int n = raw.length;
        // A trailing terminator yields one empty last element: not a line.
        if (n > 0 && raw[n - 1].isEmpty()) n--;
        int first = 0;
        while (first < n && (raw[first].startsWith("# ") || raw[first].equals("#"))) first++;

        String[] lines = new String[n];
        for (int i = first; i < n; i++) lines[i] = stripTrailing(raw[i].replace('\u00A0', ' '));

        boolean quoted = true;
        boolean any = false;
        for (int i = first; i < n; i++) {
            if (lines[i].isEmpty()) continue;
            any = true;
            if (!lines[i].startsWith(">")) {
                quoted = false;
                break;
            }
        }
        if (quoted && any) {
            for (int i = first; i < n; i++) {
                String l = lines[i];
                if (l.startsWith("> ")) l = l.substring(2);
                else if (l.startsWith(">")) l = l.substring(1);
                lines[i] = stripTrailing(l);
            }
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
        if (FENCE.matcher(l).matches()) return; // Markdown markup, not debugger output
        if (l.indexOf('&') >= 0) l = decodeEntities(l);
        if (l.indexOf('\\') >= 0 && ESCAPED_RULE.matcher(l).matches()) l = l.replace("\\", "");
        Matcher bold = BOLD_PROMPT.matcher(l);
        if (bold.matches()) l = bold.group(1) + bold.group(2);
        Matcher heading = HEADING.matcher(l);
        if (heading.matches()) {
            // A line followed by a 38-dash separator became a Markdown "## " heading.
            String rest = heading.group(1) == null ? "" : heading.group(1).strip();
            if (!rest.isEmpty()) out.add(new LogLine(number, rest));
            out.add(new LogLine(number, SEPARATOR));
            return;
        }
        out.add(new LogLine(number, l));
    }

    private static String decodeEntities(String l) {
        return l.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }
}
