package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JavaSignatureTest {
    @Test
    void parametersAreWrittenAsJavaSourceWritesThem() {
        assertEquals("java.lang.String, boolean", JavaSignature.parameters("(Ljava/lang/String;Z)V"));
        assertEquals("", JavaSignature.parameters("()V"));
        assertEquals("byte, char, double, float, int, long, short", JavaSignature.parameters("(BCDFIJS)Ljava/lang/Object;"));
        assertEquals("int[], java.lang.String[][], java.util.Map$Entry", JavaSignature.parameters("([I[[Ljava/lang/String;Ljava/util/Map$Entry;)V"));
    }

    @Test
    void whatIsNoMethodDescriptorHasNoParameters() {
        assertNull(JavaSignature.parameters("Ljava/lang/String;"), "a field's");
        assertNull(JavaSignature.parameters("(Ljava/lang/String"), "cut short");
        assertNull(JavaSignature.parameters("(Q)V"), "no such type");
        assertNull(JavaSignature.parameters("([)V"), "an array of nothing");
    }
}
