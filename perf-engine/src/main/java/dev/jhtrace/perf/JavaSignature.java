package dev.jhtrace.perf;

/** A JVM method descriptor's parameter types as Java source writes them (JVMS 4.3.3). */
final class JavaSignature {
    private JavaSignature() {
    }

    /**
     * {@code (Ljava/lang/String;[IZ)V} to {@code java.lang.String, int[], boolean}, as the JVM's perf map writes a
     * method's parameters; null when {@code descriptor} is not a method descriptor.
     */
    static String parameters(String descriptor) {
        if (!descriptor.startsWith("(")) return null;
        StringBuilder out = new StringBuilder();
        int i = 1;
        while (i < descriptor.length() && descriptor.charAt(i) != ')') {
            int dimensions = 0;
            while (i < descriptor.length() && descriptor.charAt(i) == '[') {
                dimensions++;
                i++;
            }
            if (i >= descriptor.length()) return null;
            char c = descriptor.charAt(i);
            String type;
            if (c == 'L') {
                int end = descriptor.indexOf(';', i);
                if (end < 0) return null;
                type = descriptor.substring(i + 1, end).replace('/', '.');
                i = end + 1;
            } else {
                type = switch (c) {
                    case 'B' -> "byte";
                    case 'C' -> "char";
                    case 'D' -> "double";
                    case 'F' -> "float";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    case 'S' -> "short";
                    case 'Z' -> "boolean";
                    default -> null;
                };
                if (type == null) return null;
                i++;
            }
            if (out.length() > 0) out.append(", ");
            out.append(type).append("[]".repeat(dimensions));
        }
        return i < descriptor.length() ? out.toString() : null;
    }
}
