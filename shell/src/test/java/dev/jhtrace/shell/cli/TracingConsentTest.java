package dev.jhtrace.shell.cli;

import dev.jhtrace.dbgeng.WindowsEngineOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TracingConsentTest {

    @Test
    void theFlagReachesTheWindowsEngineOptions() {
        String before = System.getProperty(TracingConsent.PROPERTY);
        try {
            System.clearProperty(TracingConsent.PROPERTY);
            assertFalse(WindowsEngineOptions.fromProperties(System.getProperties()).acceptInvalidHandleExceptions());
            TracingConsent consent = new TracingConsent();
            new CommandLine(new Holder(consent)).parseArgs("--accept-invalid-handle-exceptions");
            consent.apply();
            Properties p = System.getProperties();
            assertTrue(WindowsEngineOptions.fromProperties(p).acceptInvalidHandleExceptions());
        } finally {
            if (before == null) System.clearProperty(TracingConsent.PROPERTY); else System.setProperty(TracingConsent.PROPERTY, before);
        }
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
