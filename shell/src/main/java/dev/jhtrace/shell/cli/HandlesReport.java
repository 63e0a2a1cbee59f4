package dev.jhtrace.shell.cli;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.List;

/**
 * What {@code jhtrace handles} prints once its options are known: one listing, as text or JSON. Shared by
 * {@link HandlesCommand} and {@link QuickHandles}, so both print the same; names no picocli type.
 */
final class HandlesReport {
    private HandlesReport() {
    }

    /**
     * The listing of {@code pid}'s handles, only those of {@code type} when it is not null.
     *
     * @throws JhtraceException BAD_INPUT for a type the engine does not know, or whatever the engine says
     */
    static String of(Engine engine, int pid, String type, boolean json) {
        HandleTable table = engine.handles(pid);
        HandleListing listing = HandleListing.of(table);
        if (type != null) {
            // a misspelt type would list nothing and look like "none open": say which types there are
            List<String> known = engine.handleTypes();
            if (!known.isEmpty() && known.stream().noneMatch(type::equalsIgnoreCase)) {
                throw new JhtraceException(Failure.BAD_INPUT, "unknown handle type '" + type + "'; the types are: " + String.join(", ", known));
            }
            listing = listing.ofType(type);
        }
        return json ? ReportJson.write(ReportJson.tree(listing)) : LeakReportText.render(listing);
    }
}
