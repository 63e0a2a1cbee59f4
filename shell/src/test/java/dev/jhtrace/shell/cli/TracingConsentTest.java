package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consent travels in the trace options the command passes to the engine, not through a global property. */
class TracingConsentTest {

    @Test
    void theFlagSetsTheConsentInTheTraceOptionsAndNothingGlobal() {
        TracingConsent consent = new TracingConsent();
        new CommandLine(new Holder(consent)).parseArgs("--accept-invalid-handle-exceptions");
        TraceOptions options = consent.applyTo(new TraceOptions(32, 0));
        assertTrue(options.sideEffectsAccepted());
        assertEquals(32, options.stackDepth(), "the rest kept");
        assertNull(System.getProperty("jhtrace.dbgeng.acceptInvalidHandleExceptions"), "no system property set");
    }

    @Test
    void withoutTheFlagThereIsNoConsent() {
        TracingConsent consent = new TracingConsent();
        new CommandLine(new Holder(consent)).parseArgs();
        assertFalse(consent.applyTo(TraceOptions.DEFAULT).sideEffectsAccepted());
    }

    @CommandLine.Command(name = "holder")
    static final class Holder {
        @CommandLine.Mixin
        final TracingConsent consent;

        Holder(TracingConsent consent) {
            this.consent = consent;
        }
    }
}
