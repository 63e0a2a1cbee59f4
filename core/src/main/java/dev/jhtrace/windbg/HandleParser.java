package dev.jhtrace.windbg;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.report.ProcessHandles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes the output of {@code !handle} in all its user-mode forms (type-only listing, detail blocks,
 * {@code N Handles} + type table, {@code N handles of type X}) and the kernel-debugger form
 * ({@code 0004: Object: ..  GrantedAccess: ..}). Field names and values are split on a TAB or on runs of
 * spaces, because pasted text often has its TABs expanded. Lines it cannot place become problems.
 */
final class HandleParser {
    static final Pattern HEAD = Pattern.compile("^Handle (?:0x)?([0-9a-fA-F`]+)$");
    private static final Pattern FIELD = Pattern.compile("^(Type|Attributes|GrantedAccess|HandleCount|PointerCount|Name)(?:[\\t ]+(.*))?$");
    static final Pattern TOTAL = Pattern.compile("^(\\d+) Handles$");
    static final Pattern TABLE_HEAD = Pattern.compile("^Type\\s+Count$");
    private static final Pattern TABLE_ROW = Pattern.compile("^(.+?)\\s+(\\d+)(?:\\s+(.*))?$");
    static final Pattern TYPED_FOOTER = Pattern.compile("^(\\d+) handles of type (.+)$");
    private static final Pattern OBJECT_INFO = Pattern.compile("^Object [Ss]pecific [Ii]nformation$");
    private static final Pattern NO_OBJECT_INFO = Pattern.compile("^No [Oo]bject [Ss]pecific [Ii]nformation available$");
    private static final Pattern GAP = Pattern.compile("\\s{2,}|\\t");
    private static final Pattern RIGHTS = Pattern.compile("^[A-Za-z/]+(,[A-Za-z/]+)*$");
    static final Pattern ELISION = Pattern.compile("^\\.{3,}$");
    // Kernel debugger forms.
    // An entry: "0040: Object: <addr>  GrantedAccess: 00100020", then zero or more attributes in parentheses
    // ("(Protected)", "(Inherit)", "(Audit)") and, from kd versions after XP, "Entry: <table entry address>".
    static final Pattern K_ENTRY = Pattern.compile("^([0-9a-fA-F]+): Object: ([0-9a-fA-F`]+)\\s+GrantedAccess: ([0-9a-fA-F]+)"
            + "((?:\\s*\\([^()]+\\))*)(?:\\s+Entry: ([0-9a-fA-F`]+))?$");
    private static final Pattern K_FLAG = Pattern.compile("\\(([^()]+)\\)");
    static final Pattern K_FREE = Pattern.compile("^([0-9a-fA-F]+): free handle, Entry address ([0-9a-fA-F`]+), Next Entry ([0-9a-fA-F`]+)$");
    private static final Pattern K_OBJECT = Pattern.compile("^Object: ([0-9a-fA-F`]+)\\s+Type: \\(([0-9a-fA-F`]+)\\) (.+)$");
    private static final Pattern K_HEADER = Pattern.compile("^ObjectHeader: ([0-9a-fA-F`]+)(?:\\s+\\(.*\\))?$");
    private static final Pattern K_COUNTS = Pattern.compile("^HandleCount: (\\d+)\\s+PointerCount: (\\d+)$");
    private static final Pattern K_NAME = Pattern.compile("^Directory Object: ([0-9a-fA-F`]+)\\s+Name: (.*)$");
    // XP-era kd prints "PROCESS <addr>  SessionId: 0  Cid: 0000 ..." on one line, later ones put SessionId and Cid
    // on the next, indented line.
    private static final Pattern K_PROCESS = Pattern.compile("^PROCESS ([0-9a-fA-F`]+)(?:\\s+(SessionId: .*))?$");
    private static final Pattern K_SESSION = Pattern.compile("^SessionId: (\\S+)\\s+Cid: ([0-9a-fA-F]+)(?:\\s.*)?$");
    private static final Pattern K_IMAGE = Pattern.compile("^Image: (.+)$");
    // "New version of handle table at .. with N Entries in use" (XP) or "Handle table at .. with N entries in use".
    static final Pattern K_TABLE = Pattern.compile("^(?:Kernel )?(?:New version of handle table|[Hh]andle table) at ([0-9a-fA-F`]+) with (\\d+) [Ee]ntries in use$");
    private static final Pattern K_NOISE = Pattern.compile("^(processor number \\d+|DirBase: .*|Searching for .*)$");

    /** The labels of object-specific lines, in the layouts WinDbg prints them. */
    static final List<String> PADDED_LABELS = List.of("Thread Id", "Priority", "Base Priority", "Start Address");
    static final List<String> SPACED_LABELS = List.of("Event Type", "Event is", "Semaphore Count", "Semaphore Limit",
            "Mutex is Owned", "Mutant Count", "Mutant Owner", "Section base address", "Section attributes", "Section max size");

    private final Problems problems;
    private final List<HandleEntry> handles = new ArrayList<>();
    private int handleDigits = -1;
    private Integer reportedTotal, typeFilterCount, pid;
    private final Map<String, Integer> typeCounts = new LinkedHashMap<>();
    private String typeFilter, process;
    private final boolean kernelTypeFiltered;
    private int freeEntries, elisions;
    private final List<String> notes = new ArrayList<>();
    /** Kernel format: the PROCESS blocks seen, the last one receiving the handles read. */
    private final List<ProcessPart> processes = new ArrayList<>();
    /** Kernel format: handles printed before any PROCESS block (a pasted fragment). */
    private final List<HandleEntry> beforeProcesses = new ArrayList<>();

    private Builder current;
    private boolean inTable, inRights, inObjectInfo;

    /** The fields of one handle being read. */
    private static final class Builder {
        final long handle;
        String type, name;
        Long access, attributes, handleCount, pointerCount;
        final Map<String, String> details = new LinkedHashMap<>();
        final List<String> rights = new ArrayList<>();

        Builder(long handle) {
            this.handle = handle;
        }

        HandleEntry build() {
            if (!rights.isEmpty()) details.put(WindbgWriter.RIGHTS, String.join("\n", rights));
            return new HandleEntry(handle, type, name, access, attributes, handleCount, pointerCount, details);
        }
    }

    /** One kernel PROCESS block being read. */
    private static final class ProcessPart {
        Integer pid, entriesInUse;
        String image;
        final List<HandleEntry> handles = new ArrayList<>();

        ProcessHandles build() {
            return new ProcessHandles(pid, image, entriesInUse, handles);
        }
    }

    private HandleParser(Problems problems, boolean kernelTypeFiltered) {
        this.problems = problems;
        this.kernelTypeFiltered = kernelTypeFiltered;
    }

    static HandleOutput parse(List<LogLine> lines, Problems problems) {
        return parse(lines, false, problems);
    }

    /**
     * @param kernelTypeFiltered true when the command was a kernel {@code !handle Handle Flags Process TypeName}:
     *                           kd's {@code N entries in use} then counts handles of every type, not those listed,
     *                           so it is not kept as a total
     */
    static HandleOutput parse(List<LogLine> lines, boolean kernelTypeFiltered, Problems problems) {
        HandleParser p = new HandleParser(problems, kernelTypeFiltered);
        for (int i = 0; i < lines.size(); i++) {
            LogLine line = lines.get(i);
            if (line.isBlank()) continue;
            if (p.accept(line)) continue;
            int j = i + 1;
            while (j < lines.size() && lines.get(j).isBlank()) j++;
            String s = line.text().strip();
            if (j < lines.size() && TYPED_FOOTER.matcher(s + " " + lines.get(j).text().strip()).matches()) {
                p.accept(new LogLine(line.number(), s + " " + lines.get(j).text().strip()));
                i = j;
                continue;
            }
            problems.add(line, "unrecognized !handle line");
        }
        return p.build();
    }

    private boolean accept(LogLine line) {
        String t = line.text();
        String s = t.strip();
        boolean indented = t.length() > 0 && Character.isWhitespace(t.charAt(0));
        Matcher m;
        if (!indented && (m = HEAD.matcher(s)).matches()) {
            Long h = Hex.parse(m.group(1));
            if (h != null) {
                start(h);
                String digits = m.group(1).replace("`", "");
                if (handleDigits < 0) handleDigits = digits.length() >= 8 && digits.charAt(0) == '0' ? digits.length() : 0;
                return true;
            }
        }
        if (TABLE_HEAD.matcher(s).matches()) {
            finish();
            inTable = true;
            return true;
        }
        if ((m = TOTAL.matcher(s)).matches()) {
            finish();
            reportedTotal = parseCount(line, m.group(1));
            return true;
        }
        if ((m = TYPED_FOOTER.matcher(s)).matches()) {
            finish();
            typeFilterCount = parseCount(line, m.group(1));
            typeFilter = m.group(2).strip();
            return true;
        }
        if (ELISION.matcher(s).matches()) {
            elisions++;
            return true;
        }
        if (current != null && acceptField(line, s)) return true;
        if (inTable && (m = TABLE_ROW.matcher(s)).matches()) {
            Integer count = parseCount(line, m.group(2));
            if (count != null) typeCounts.merge(m.group(1).strip(), count, Integer::sum);
            if (m.group(3) != null) problems.add(line, "text after the count ignored");
            return true;
        }
        if (acceptKernel(line, s)) return true;
        if (HtraceParser.NOISE.matcher(s).matches()) {
            notes.add(s);
            return true;
        }
        return false;
    }

    private boolean acceptField(LogLine line, String s) {
        Matcher m;
        if ((m = FIELD.matcher(s)).matches()) {
            inRights = false;
            inObjectInfo = false;
            String value = m.group(2) == null ? "" : m.group(2).strip();
            switch (m.group(1)) {
                case "Type" -> current.type = value.isEmpty() ? null : value;
                case "Name" -> {
                    if (value.equals("<none>")) current.details.put("Name", "<none>");
                    else current.name = value;
                }
                case "GrantedAccess" -> {
                    current.access = hexField(line, value.endsWith(":") ? value.substring(0, value.length() - 1) : value);
                    inRights = value.endsWith(":");
                }
                case "Attributes" -> current.attributes = hexField(line, value);
                case "HandleCount" -> current.handleCount = decimalField(line, value);
                case "PointerCount" -> current.pointerCount = decimalField(line, value);
                default -> throw new IllegalStateException(m.group(1));
            }
            return true;
        }
        if (OBJECT_INFO.matcher(s).matches()) {
            inRights = false;
            inObjectInfo = true;
            return true;
        }
        if (NO_OBJECT_INFO.matcher(s).matches()) {
            inRights = false;
            current.details.put(WindbgWriter.OBJECT_INFO, WindbgWriter.NOT_AVAILABLE);
            return true;
        }
        if (inRights && RIGHTS.matcher(s).matches()) {
            current.rights.add(s);
            return true;
        }
        if (inObjectInfo) {
            objectInfoLine(s);
            return true;
        }
        return false;
    }

    /** Splits an object-specific line into a known label and its value, else at the first run of 2+ blanks. */
    private void objectInfoLine(String s) {
        for (List<String> labels : List.of(PADDED_LABELS, SPACED_LABELS)) {
            for (String label : labels) {
                if (s.startsWith(label) && s.length() > label.length() && Character.isWhitespace(s.charAt(label.length()))) {
                    current.details.put(label, s.substring(label.length()).strip());
                    return;
                }
            }
        }
        Matcher gap = GAP.matcher(s);
        if (gap.find()) current.details.put(s.substring(0, gap.start()), s.substring(gap.end()).strip());
        else current.details.put(s, "");
    }

    private boolean acceptKernel(LogLine line, String s) {
        Matcher m;
        if ((m = K_ENTRY.matcher(s)).matches()) {
            Long h = Hex.parse(m.group(1));
            if (h == null) return false;
            start(h);
            if (handleDigits < 0) handleDigits = 0;
            current.access = Hex.parse(m.group(3));
            current.details.put("Object", m.group(2));
            List<String> flags = new ArrayList<>();
            Matcher f = K_FLAG.matcher(m.group(4));
            while (f.find()) flags.add(f.group(1).strip());
            if (!flags.isEmpty()) current.details.put("Flags", String.join(", ", flags));
            if (m.group(5) != null) current.details.put("Entry", m.group(5));
            return true;
        }
        if (K_FREE.matcher(s).matches()) {
            finish();
            freeEntries++;
            return true;
        }
        if ((m = K_TABLE.matcher(s)).matches()) {
            finish();
            if (kernelTypeFiltered) return true;
            reportedTotal = parseCount(line, m.group(2));
            if (!processes.isEmpty()) processes.get(processes.size() - 1).entriesInUse = reportedTotal;
            return true;
        }
        if ((m = K_PROCESS.matcher(s)).matches() && Hex.parse(m.group(1)) != null) {
            finish();
            processes.add(new ProcessPart());
            notes.add(s);
            if (m.group(2) != null) session(m.group(2));
            return true;
        }
        if ((m = K_SESSION.matcher(s)).matches() && current == null && !processes.isEmpty()) {
            session(s);
            notes.add(s);
            return true;
        }
        if ((m = K_IMAGE.matcher(s)).matches() && current == null) {
            process = m.group(1).strip();
            if (!processes.isEmpty()) processes.get(processes.size() - 1).image = process;
            return true;
        }
        if (K_NOISE.matcher(s).matches() && current == null) {
            notes.add(s);
            return true;
        }
        if (current == null) return false;
        if ((m = K_OBJECT.matcher(s)).matches()) {
            current.type = m.group(3).strip();
            return true;
        }
        if ((m = K_HEADER.matcher(s)).matches()) {
            current.details.put("ObjectHeader", m.group(1));
            return true;
        }
        if ((m = K_COUNTS.matcher(s)).matches()) {
            current.handleCount = decimalField(line, m.group(1));
            current.pointerCount = decimalField(line, m.group(2));
            return true;
        }
        if ((m = K_NAME.matcher(s)).matches()) {
            String name = m.group(2).strip();
            if (!name.isEmpty()) current.name = name;
            return true;
        }
        return false;
    }

    /** Reads the Cid of the current PROCESS block from its {@code SessionId: .. Cid: ..} text. */
    private void session(String text) {
        Matcher m = K_SESSION.matcher(text);
        if (!m.matches()) return;
        Long cid = Hex.parse(m.group(2));
        if (cid == null) return;
        pid = (int) (long) cid;
        processes.get(processes.size() - 1).pid = pid;
    }

    private void start(long handle) {
        finish();
        current = new Builder(handle);
    }

    private void finish() {
        if (current != null) {
            HandleEntry e = current.build();
            handles.add(e);
            if (!processes.isEmpty()) processes.get(processes.size() - 1).handles.add(e);
            else beforeProcesses.add(e);
        }
        current = null;
        inRights = false;
        inObjectInfo = false;
        inTable = false;
    }

    private Long hexField(LogLine line, String value) {
        Long v = Hex.parse(value);
        if (v == null) problems.add(line, "not a hex number");
        return v;
    }

    private Long decimalField(LogLine line, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            problems.add(line, "not a decimal number");
            return null;
        }
    }

    private Integer parseCount(LogLine line, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            problems.add(line, "count too large");
            return null;
        }
    }

    private HandleOutput build() {
        boolean table = inTable;
        finish();
        inTable = table;
        List<ProcessHandles> parts = new ArrayList<>();
        if (!processes.isEmpty() && !beforeProcesses.isEmpty()) parts.add(new ProcessHandles(null, null, null, beforeProcesses));
        for (ProcessPart part : processes) parts.add(part.build());
        Integer total = reportedTotal;
        String image = process;
        Integer cid = pid;
        if (parts.size() > 1) {
            // Many processes: the output's figure is theirs together, and no one process is the output's.
            total = parts.stream().map(ProcessHandles::reportedTotal).filter(java.util.Objects::nonNull)
                    .reduce(Integer::sum).orElse(null);
            image = null;
            cid = null;
        }
        return new HandleOutput(handles, Math.max(handleDigits, 0), total, typeCounts, typeFilter, typeFilterCount,
                freeEntries, elisions, image, cid, notes, parts);
    }
}
