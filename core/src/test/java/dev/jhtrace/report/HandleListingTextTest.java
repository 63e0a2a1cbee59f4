package dev.jhtrace.report;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handle listing's columns, padded by hand, are exactly what {@code %-10s %-12s %-12s %s%n} gives. */
class HandleListingTextTest {
    @Test
    void columnsAreFormatWidthsAndLongValuesAreNeverCut() {
        List<HandleEntry> entries = List.of(
                new HandleEntry(3, "File", "/etc/hosts", 0x8000L, null, null, null, Map.of()),
                new HandleEntry(0x1234567890L, "AVeryLongTypeName", "socket:[1]", 0x80802L, null, null, null, Map.of()),
                new HandleEntry(7, null, null, null, null, null, null, Map.of()));
        String text = LeakReportText.render(HandleListing.of(new HandleTable(42, Instant.EPOCH, entries)));
        StringBuilder expected = new StringBuilder();
        // the listing is in handle order
        for (HandleEntry h : entries.stream().sorted(java.util.Comparator.comparingLong(HandleEntry::handle)).toList()) {
            expected.append(String.format("%-10s %-12s %-12s %s%n", h.hex(), h.type() == null ? "" : h.type(),
                    h.grantedAccess() == null ? "" : "0x" + Long.toHexString(h.grantedAccess()), h.name() == null ? "" : h.name()));
        }
        assertTrue(text.endsWith(expected.toString()), text);
        assertTrue(text.contains("0x1234567890 AVeryLongTypeName 0x80802      socket:[1]"), text);
        assertEquals(3, text.lines().filter(l -> l.startsWith("0x")).count(), text);
    }

    @Test
    void typeCountsAreWhatTheFormatGives() {
        List<HandleEntry> entries = List.of(HandleEntry.of(1, "File", "a"), HandleEntry.of(2, "File", "b"),
                HandleEntry.of(3, "ATypeNameLongerThanTwentyFour", "c"), HandleEntry.of(4, null, "d"));
        HandleListing listing = HandleListing.of(new HandleTable(42, Instant.EPOCH, entries));
        StringBuilder expected = new StringBuilder("pid 42: 4 Handles\nType                     Count\n");
        listing.types().forEach((t, n) -> expected.append(String.format("%-24s %d%n", t, n)));
        assertTrue(LeakReportText.render(listing).startsWith(expected.toString()), LeakReportText.render(listing));
        assertEquals(List.of("File", "(unknown)", "ATypeNameLongerThanTwentyFour"), List.copyOf(listing.types().keySet()));
    }
}
