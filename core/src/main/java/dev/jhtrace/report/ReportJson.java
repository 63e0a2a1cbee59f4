package dev.jhtrace.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.model.StackFrame;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The stable JSON forms documented in {@code docs/json.md}: leak reports and handle listings.
 * Field names and order never change within a major version; absent values are written as null.
 */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /** A leak report as a JSON tree. */
    public static ObjectNode tree(LeakReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode target = root.putObject("target");
        target.put("pid", report.target().pid() == 0 ? null : report.target().pid());
        target.put("name", report.target().name());
        root.put("engine", report.engine());
        root.put("outstanding", report.outstanding());
        root.put("lostEvents", report.lostEvents());
        counts(root.putObject("types"), report.types());
        if (report.groupBy() != GroupBy.STACK) root.put("groupBy", report.groupBy().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode groups = root.putArray("groups");
        for (LeakGroup g : report.groups()) {
            ObjectNode n = groups.addObject();
            if (report.groupBy() != GroupBy.STACK) n.put("key", g.key());
            n.put("count", g.count());
            counts(n.putObject("types"), g.types());
            ArrayNode names = n.putArray("names");
            g.names().forEach(names::add);
            ArrayNode threads = n.putArray("threads");
            g.threads().forEach(threads::add);
            if (g.orderingUnknown() > 0) n.put("orderingUnknown", g.orderingUnknown());
            if (g.inferred() > 0) n.put("inferred", g.inferred());
            if (g.leakFrame() == null) n.putNull("leakFrame"); else frame(n.putObject("leakFrame"), g.leakFrame());
            ArrayNode stack = n.putArray("stack");
            g.stack().frames().forEach(f -> frame(stack.addObject(), f));
        }
        return root;
    }

    /** A handle listing as a JSON tree. */
    public static ObjectNode tree(HandleListing listing) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("pid", listing.pid());
        root.put("total", listing.total());
        counts(root.putObject("types"), listing.types());
        ArrayNode handles = root.putArray("handles");
        if (listing.processes().isEmpty()) {
            for (HandleEntry h : listing.handles()) handle(handles.addObject(), h);
        } else {
            for (ProcessHandles p : listing.processes()) {
                for (HandleEntry h : p.handles()) {
                    ObjectNode n = handles.addObject();
                    n.put("pid", p.pid());
                    n.put("process", p.image());
                    handle(n, h);
                }
            }
        }
        return root;
    }

    /** One listed handle; the kernel debugger's object address and the object's counts only when known. */
    private static void handle(ObjectNode n, HandleEntry h) {
        n.put("handle", h.hex());
        n.put("type", h.type());
        n.put("name", h.name());
        n.put("grantedAccess", h.grantedAccess() == null ? null : "0x" + Long.toHexString(h.grantedAccess()));
        String object = h.details().get("Object");
        if (object != null) n.put("object", "0x" + object.replace("`", ""));
        if (h.handleCount() != null) n.put("handleCount", h.handleCount());
        if (h.pointerCount() != null) n.put("pointerCount", h.pointerCount());
    }

    /**
     * What a source holds: the leak report alone, the handle listing alone, or with both
     * {@code {"leaks": report, "handles": listing}}. Either may be null, not both.
     */
    public static ObjectNode tree(LeakReport leaks, HandleListing handles) {
        if (handles == null) return tree(leaks);
        if (leaks == null) return tree(handles);
        ObjectNode root = MAPPER.createObjectNode();
        root.set("leaks", tree(leaks));
        root.set("handles", tree(handles));
        return root;
    }

    /** Pretty-printed JSON text of any tree. */
    public static String write(Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mapper the JSON forms are written with, for callers that combine trees. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static void counts(ObjectNode node, Map<String, Integer> counts) {
        counts.forEach(node::put);
    }

    /** Writes one frame in the documented form into {@code n} (also used by capture files). */
    public static void frame(ObjectNode n, StackFrame f) {
        n.put("address", "0x" + Long.toHexString(f.address()));
        n.put("module", f.module());
        n.put("function", f.function());
        n.put("offset", f.offset() == null ? null : "0x" + Long.toHexString(f.offset()));
        n.put("file", f.file());
        n.put("line", f.line());
    }

    /** Adds {@code "exit": {"status": N}} or {@code "exit": {"signal": "SIGTERM"}} for a target that ended. */
    public static void exit(ObjectNode report, ProcessExit exit) {
        ObjectNode n = report.putObject("exit");
        if (exit.bySignal()) n.put("signal", exit.signalName());
        else n.put("status", exit.exitCode());
    }
}
