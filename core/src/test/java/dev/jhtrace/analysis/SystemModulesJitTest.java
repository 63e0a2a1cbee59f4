package dev.jhtrace.analysis;

import dev.jhtrace.model.StackFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JIT frames as both Linux engines name them from a JVM's perf map: the JVM's stubs and the JDK's methods are system code. */
class SystemModulesJitTest {
    private static boolean system(String function) {
        return SystemModules.DEFAULT.isSystem(new StackFrame(0x7f0000001000L, SystemModules.JIT_MODULE, function, 0x10L, null, null));
    }

    @Test
    void stubsAndJdkMethodsAreSystemAndTheProgramsMethodsAreNot() {
        assertTrue(system("Interpreter"));
        assertTrue(system("StubRoutines (1)"), "a stub whose name has a parenthesis (seen in a JDK 17 map)");
        assertTrue(system("java.io.FileInputStream.open0(java.lang.String)"));
        assertFalse(system("Leaky.openConfig()"));
        assertFalse(system("LeakyJava.leakOne(java.lang.String, boolean)"));
    }
}
