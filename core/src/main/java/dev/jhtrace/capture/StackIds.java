package dev.jhtrace.capture;

import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names stacks by what they say rather than where they were loaded: the id hashes each frame's symbol
 * and source line (the address only for unresolved frames), so a stack keeps its id across a restart
 * with another load address.
 */
public final class StackIds {
    /** The id of the stack for handles whose opening was not traced. */
    public static final String UNKNOWN = "unknown";

    private StackIds() {
    }

    /** The id of a stack: 16 hex digits, or {@link #UNKNOWN} for an empty stack. */
    public static String of(StackTrace stack) {
        if (stack.isEmpty()) return UNKNOWN;
        StringBuilder sb = new StringBuilder();
        for (StackFrame f : stack.frames()) {
            sb.append(f.symbol());
            if (f.file() != null) sb.append('@').append(f.file()).append(':').append(f.line());
            sb.append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
