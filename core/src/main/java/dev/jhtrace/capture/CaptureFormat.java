package dev.jhtrace.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.model.StackTrace;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capture file format: one JSON object per line, {@code "kind":"header"} first, then
 * {@code "kind":"record"} lines (see {@code docs/capture.md}). Values follow {@code docs/json.md}:
 * handles and addresses as {@code 0x} hex strings, absent values as null.
 */
public final class CaptureFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CaptureFormat() {
    }

    /** The header as one line of JSON, without the line break. */
    public static String line(CaptureHeader h) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("kind", "header");
        n.put("format", h.format());
        n.put("captureId", h.captureId());
        n.put("segment", h.segment());
        n.put("part", h.part());
        n.put("pid", h.pid());
        n.put("name", h.name());
        n.put("engine", h.engine());
        n.put("tracing", h.tracing());
        n.put("started", h.started().toString());
        n.put("intervalMillis", h.intervalMillis());
        n.put("maxGroups", h.maxGroups());
        n.put("maxEntries", h.maxEntries());
        n.put("rotatedFiles", h.rotatedFiles());
        if (h.command() != null) n.put("command", h.command());
        if (h.allProcesses()) n.put("allProcesses", true);
        return write(n);
    }

    /** The record as one line of JSON, without the line break. */
    public static String line(CaptureRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("kind", "record");
        n.put("seq", r.seq());
        n.put("segment", r.segment());
        n.put("pid", r.pid());
        n.put("time", r.time().toString());
        n.put("total", r.total());
        ObjectNode types = n.putObject("types");
        r.types().forEach(types::put);
        ArrayNode entries = n.putArray("entries");
        for (HandleEntry e : r.entries()) {
            ObjectNode en = entries.addObject();
            en.put("handle", e.hex());
            en.put("type", e.type());
            en.put("name", e.name());
        }
        n.put("entriesDropped", r.entriesDropped());
        n.put("outstanding", r.outstanding());
        n.put("opened", r.opened());
        n.put("newEvents", r.newEvents());
        n.put("lostEvents", r.lostEvents());
        n.put("droppedEvents", r.droppedEvents());
        ArrayNode groups = n.putArray("groups");
        for (StackGroup g : r.groups()) {
            ObjectNode gn = groups.addObject();
            gn.put("id", g.id());
            gn.put("key", g.key());
            gn.put("count", g.count());
            gn.put("opened", g.opened());
            if (g.inferred() > 0) gn.put("inferred", g.inferred());
            ObjectNode gt = gn.putObject("types");
            g.types().forEach(gt::put);
            ArrayNode names = gn.putArray("names");
            g.names().forEach(names::add);
            ArrayNode stack = gn.putArray("stack");
            for (StackFrame f : g.stack().frames()) ReportJson.frame(stack.addObject(), f);
        }
        n.put("groupsDropped", r.groupsDropped());
        n.put("trigger", r.trigger());
        if (!r.notes().isEmpty()) {
            ArrayNode notes = n.putArray("notes");
            r.notes().forEach(notes::add);
        }
        return write(n);
    }

    /** A parsed line: a header or a record. */
    public sealed interface Line permits HeaderLine, RecordLine {
    }

    /** A header line. */
    public record HeaderLine(CaptureHeader header) implements Line {
    }

    /** A record line. */
    public record RecordLine(CaptureRecord record) implements Line {
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException when the line is not a complete header or record (e.g. cut short by a crash)
     */
    public static Line parse(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
        String kind = text(n, "kind");
        try {
            if ("header".equals(kind)) {
                return new HeaderLine(new CaptureHeader(req(n, "format").asText(), text(n, "captureId"), req(n, "segment").asInt(),
                        req(n, "part").asInt(), req(n, "pid").asInt(), text(n, "name"), text(n, "engine"), req(n, "tracing").asBoolean(),
                        Instant.parse(req(n, "started").asText()), req(n, "intervalMillis").asLong(), req(n, "maxGroups").asInt(),
                        req(n, "maxEntries").asInt(), n.path("rotatedFiles").asInt(0),
                        text(n, "command"), n.path("allProcesses").asBoolean(false)));
            }
            if ("record".equals(kind)) {
                List<HandleEntry> entries = new ArrayList<>();
                for (JsonNode e : req(n, "entries")) entries.add(HandleEntry.of(hex(req(e, "handle")), text(e, "type"), text(e, "name")));
                List<StackGroup> groups = new ArrayList<>();
                for (JsonNode g : req(n, "groups")) {
                    List<StackFrame> frames = new ArrayList<>();
                    for (JsonNode f : req(g, "stack")) frames.add(frame(f));
                    List<String> names = new ArrayList<>();
                    for (JsonNode s : g.path("names")) names.add(s.asText());
                    groups.add(new StackGroup(req(g, "id").asText(), req(g, "key").asText(), req(g, "count").asInt(), g.path("opened").asInt(),
                            counts(g.path("types")), names, new StackTrace(frames), g.path("inferred").asInt(0)));
                }
                List<String> notes = new ArrayList<>();
                for (JsonNode note : n.path("notes")) notes.add(note.asText());
                JsonNode lost = n.path("lostEvents");
                return new RecordLine(new CaptureRecord(req(n, "seq").asLong(), req(n, "segment").asInt(), req(n, "pid").asInt(),
                        Instant.parse(req(n, "time").asText()), req(n, "total").asInt(), counts(req(n, "types")), entries,
                        n.path("entriesDropped").asInt(), n.path("outstanding").asInt(), n.path("opened").asInt(), n.path("newEvents").asInt(),
                        lost.isNumber() ? lost.asLong() : null, n.path("droppedEvents").asLong(), groups, n.path("groupsDropped").asInt(),
                        text(n, "trigger"), notes));
            }
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("bad value: " + e.getMessage());
        }
        throw new IllegalArgumentException("unknown line kind '" + kind + "'");
    }

    private static JsonNode req(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing '" + field + "'");
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, Integer> counts(JsonNode n) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asInt());
        }
        return m;
    }

    private static long hex(JsonNode n) {
        String s = n.asText();
        if (!s.startsWith("0x")) throw new IllegalArgumentException("not a 0x hex value: " + s);
        return Long.parseUnsignedLong(s.substring(2), 16);
    }

    private static StackFrame frame(JsonNode n) {
        JsonNode offset = n.path("offset");
        JsonNode line = n.path("line");
        return new StackFrame(hex(req(n, "address")), text(n, "module"), text(n, "function"),
                offset.isTextual() ? hex(offset) : null, text(n, "file"), line.isNumber() ? line.asInt() : null);
    }

    private static String write(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
