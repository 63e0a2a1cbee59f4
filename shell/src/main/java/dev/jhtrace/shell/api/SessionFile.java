package dev.jhtrace.shell.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.session.CachingSymbolizer;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session's snapshots and trace as one JSON file ({@code save} / {@code load}). Stacks are written
 * once and events refer to them by index, so a trace of a million events stays a few megabytes.
 * Frames are written resolved, so a loaded session needs no symbols.
 */
final class SessionFile {
    static final String FORMAT = "jhtrace-session";
    static final int VERSION = 1;

    private SessionFile() {
    }

    /** What a file held. */
    record Loaded(SavedSource source, List<Snapshot> snapshots) {
    }

    static boolean isSessionFile(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            String head = new String(in.readNBytes(200), java.nio.charset.StandardCharsets.UTF_8);
            return head.contains("\"" + FORMAT + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    static void write(Target target, Path path) {
        ObjectMapper m = ReportJson.mapper();
        ObjectNode root = m.createObjectNode();
        root.put("format", FORMAT).put("version", VERSION);
        root.putObject("target").put("pid", target.getPid()).put("name", target.getName());
        root.put("engine", target.getEngine());
        root.put("saved", Instant.now().toString());
        // a target that has exited (or a log) is diffed on its trace alone; keep it so after loading
        root.put("traceOnly", !target.getSource().isAlive());
        try {
            root.set("handles", table(m, target.handles().getTable()));
        } catch (RuntimeException noTable) {
            // exited, or a source without a table: the snapshots' tables remain
        }
        ArrayNode snaps = root.putArray("snapshots");
        for (Snapshot s : target.getHtrace().getSnapshots()) {
            ObjectNode n = snaps.addObject().put("name", s.name()).put("time", s.time() == null ? null : s.time().toString()).put("traceMark", s.traceMark());
            if (s.table() != null) n.set("table", table(m, s.table()));
        }
        TraceLog log = target.getSource().tracing().map(t -> t.log()).orElse(TraceLog.EMPTY);
        CachingSymbolizer symbolizer = new CachingSymbolizer(target.getSource().symbols(), new StackTable());
        Set<StackTrace> distinct = Collections.newSetFromMap(new IdentityHashMap<>()); // recorders intern stacks
        for (TraceEvent e : log.events()) distinct.add(e.stack());
        symbolizer.resolveAll(distinct); // one engine call for every address
        ObjectNode trace = root.putObject("trace").put("wrapped", log.wrapped());
        if (log.lostEvents() != null) trace.put("lostEvents", log.lostEvents());
        ArrayNode stacks = trace.putArray("stacks");
        ArrayNode events = trace.putArray("events");
        Map<StackTrace, Integer> stackIndex = new IdentityHashMap<>();
        for (TraceEvent e : log.events()) {
            StackTrace resolved = symbolizer.resolve(e.stack());
            Integer index = stackIndex.get(resolved);
            if (index == null) {
                index = stackIndex.size();
                stackIndex.put(resolved, index);
                ArrayNode frames = stacks.addArray();
                resolved.frames().forEach(f -> frames.add(frame(m, f)));
            }
            ArrayNode ev = events.addArray().add(e.order()).add(e.kind().name()).add(e.handle()).add(e.pid()).add(e.tid());
            if (e.epochNanos() == TraceEvent.NO_TIME) ev.addNull(); else ev.add(e.epochNanos());
            ev.add(index);
            if (e.inferred()) ev.add(true); // an eighth element only when set: older files read the same
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            // the snapshots hold the target's object names: owner-only, and never a half-written session
            dev.jhtrace.capture.CaptureFiles.writeAtomically(path, m.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    static Loaded read(Path path) {
        ObjectMapper m = ReportJson.mapper();
        JsonNode root;
        try {
            root = m.readTree(path.toFile());
        } catch (JsonProcessingException e) {
            throw new JhtraceException(Failure.BAD_INPUT, path + " is not a saved jhtrace session: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "cannot read " + path + ": " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new JhtraceException(Failure.BAD_INPUT, path + " is not a saved jhtrace session (no \"format\": \"" + FORMAT + "\")");
        }
        if (root.path("version").asInt() != VERSION) {
            throw new JhtraceException(Failure.BAD_INPUT, path + ": session format version " + root.path("version").asText() + " is not supported (this jhtrace reads " + VERSION + ")");
        }
        try {
            TargetInfo target = new TargetInfo(root.path("target").path("pid").asInt(), textOrNull(root.path("target").path("name")));
            List<Snapshot> snapshots = new ArrayList<>();
            for (JsonNode s : root.path("snapshots")) {
                HandleTable table = s.hasNonNull("table") ? table(m, s.get("table")) : null;
                Instant time = s.hasNonNull("time") ? Instant.parse(s.get("time").asText()) : null;
                snapshots.add(new Snapshot(s.path("name").asText(), time, s.path("traceMark").asLong(), table));
            }
            JsonNode trace = root.path("trace");
            StackTable interned = new StackTable();
            List<StackTrace> stacks = new ArrayList<>();
            for (JsonNode st : trace.path("stacks")) {
                List<StackFrame> frames = new ArrayList<>();
                for (JsonNode f : st) frames.add(frame(f));
                stacks.add(interned.intern(new StackTrace(frames)));
            }
            List<TraceEvent> events = new ArrayList<>();
            for (JsonNode e : trace.path("events")) {
                long nanos = e.get(5).isNull() ? TraceEvent.NO_TIME : e.get(5).asLong();
                events.add(new TraceEvent(e.get(0).asLong(), EventKind.valueOf(e.get(1).asText()), e.get(2).asLong(), e.get(3).asInt(),
                        e.get(4).asInt(), nanos, stacks.get(e.get(6).asInt()), TraceEvent.NO_OBJECT, e.path(7).asBoolean(false)));
            }
            Long lost = trace.hasNonNull("lostEvents") ? trace.get("lostEvents").asLong() : null;
            TraceLog log = new TraceLog(events, trace.path("wrapped").asBoolean(), lost);
            HandleTable last = root.hasNonNull("handles") ? table(m, root.get("handles"))
                    : snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1).table();
            return new Loaded(new SavedSource(target, last, log, root.path("traceOnly").asBoolean(false)), snapshots);
        } catch (RuntimeException e) {
            if (e instanceof JhtraceException j) throw j;
            throw new JhtraceException(Failure.BAD_INPUT, path + " is a damaged jhtrace session: " + e.getMessage(), e);
        }
    }

    private static JsonNode table(ObjectMapper m, HandleTable t) {
        ObjectNode n = m.createObjectNode().put("pid", t.pid());
        if (t.time() != null) n.put("time", t.time().toString());
        ArrayNode entries = n.putArray("entries");
        for (HandleEntry e : t.entries()) entries.add(entry(m, e));
        return n;
    }

    private static HandleTable table(ObjectMapper m, JsonNode n) {
        List<HandleEntry> entries = new ArrayList<>();
        for (JsonNode e : n.path("entries")) entries.add(entry(e));
        return new HandleTable(n.path("pid").asInt(), n.hasNonNull("time") ? Instant.parse(n.get("time").asText()) : null, entries);
    }

    private static ObjectNode frame(ObjectMapper m, StackFrame f) {
        ObjectNode n = m.createObjectNode().put("address", f.address()).put("module", f.module()).put("function", f.function());
        n.put("offset", f.offset()).put("file", f.file()).put("line", f.line());
        return n;
    }

    private static StackFrame frame(JsonNode n) {
        return new StackFrame(n.path("address").asLong(), textOrNull(n.path("module")), textOrNull(n.path("function")),
                longOrNull(n.path("offset")), textOrNull(n.path("file")), n.hasNonNull("line") ? n.get("line").asInt() : null);
    }

    private static ObjectNode entry(ObjectMapper m, HandleEntry e) {
        ObjectNode n = m.createObjectNode().put("handle", e.handle()).put("type", e.type()).put("name", e.name());
        n.put("grantedAccess", e.grantedAccess()).put("attributes", e.attributes()).put("handleCount", e.handleCount()).put("pointerCount", e.pointerCount());
        ObjectNode d = n.putObject("details");
        e.details().forEach(d::put);
        return n;
    }

    private static HandleEntry entry(JsonNode n) {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        n.path("details").fields().forEachRemaining(f -> details.put(f.getKey(), f.getValue().asText()));
        return new HandleEntry(n.path("handle").asLong(), textOrNull(n.path("type")), textOrNull(n.path("name")), longOrNull(n.path("grantedAccess")),
                longOrNull(n.path("attributes")), longOrNull(n.path("handleCount")), longOrNull(n.path("pointerCount")), details);
    }

    private static Long longOrNull(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asLong();
    }

    private static String textOrNull(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}
