package dev.jhtrace.gdb.mi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one line of GDB/MI output (without its newline) into a {@link MiRecord}.
 * Works on the raw bytes gdb wrote: c-strings are decoded byte by byte, octal escapes
 * ({@code \303\251}) included, and the bytes then read as UTF-8. A single left-to-right pass with an
 * index, so a line of n bytes parses in O(n). Not thread-safe; stateless between lines.
 */
public final class MiParser {
    private byte[] in;
    private int pos;

    /** Parses a line given as text (encoded as UTF-8 first). */
    public MiRecord parse(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a line of raw gdb output; a trailing {@code \r} is ignored. */
    public MiRecord parse(byte[] line) {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\r') end--;
        in = line;
        pos = 0;
        try {
            return record(end);
        } finally {
            in = null;
        }
    }

    private MiRecord record(int end) {
        if (isPrompt(end)) return new MiRecord.Prompt();
        if (end == 0) throw error("empty line");
        long token = -1;
        int start = pos;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') pos++;
        if (pos > start) {
            if (pos - start > 18) throw error("token too long");
            token = Long.parseLong(new String(in, start, pos - start, StandardCharsets.US_ASCII));
        }
        if (pos >= end) throw error("no record type after token");
        char kind = (char) in[pos++];
        switch (kind) {
            case '~', '@', '&' -> {
                if (token >= 0) throw error("stream records take no token");
                String text = cstring(end);
                expectEnd(end);
                return new MiRecord.Stream(kind, text);
            }
            case '^' -> {
                String cls = word(end);
                if (!cls.equals("done") && !cls.equals("running") && !cls.equals("connected") && !cls.equals("error") && !cls.equals("exit")) {
                    throw error("unknown result class '" + cls + "'");
                }
                return new MiRecord.Result(token, cls, tail(end));
            }
            case '*', '+', '=' -> {
                String cls = word(end);
                if (cls.isEmpty()) throw error("missing async class");
                return new MiRecord.Async(token, kind, cls, tail(end));
            }
            default -> throw error("not a GDB/MI record");
        }
    }

    private boolean isPrompt(int end) {
        // "(gdb) " with its trailing space; tolerate the space being trimmed
        int n = end;
        while (n > 0 && in[n - 1] == ' ') n--;
        if (n != 5) return false;
        return in[0] == '(' && in[1] == 'g' && in[2] == 'd' && in[3] == 'b' && in[4] == ')';
    }

    /** {@code (,result)*} up to the end of the line. */
    private MiTuple tail(int end) {
        List<MiResult> results = new ArrayList<>();
        while (pos < end) {
            expect(',');
            results.add(result(end));
        }
        return new MiTuple(results);
    }

    private MiResult result(int end) {
        // some gdb versions print bare values where a result belongs (Eclipse CDT bug 527419): keep them, unnamed
        if (pos < end && (in[pos] == '"' || in[pos] == '{' || in[pos] == '[')) return new MiResult("", value(end));
        int start = pos;
        while (pos < end && in[pos] != '=' && in[pos] != ',' && in[pos] != '}' && in[pos] != ']') pos++;
        if (pos >= end || in[pos] != '=') throw error("expected name=value");
        String name = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        if (name.isEmpty()) throw error("empty variable name");
        pos++;
        return new MiResult(name, value(end));
    }

    private MiValue value(int end) {
        if (pos >= end) throw error("missing value");
        byte c = in[pos];
        if (c == '"') return new MiValue.Str(cstring(end));
        if (c == '{') {
            pos++;
            List<MiResult> results = new ArrayList<>();
            if (peek(end) == '}') {
                pos++;
                return new MiTuple(results);
            }
            while (true) {
                results.add(result(end));
                if (pos >= end) throw error("unterminated tuple");
                byte sep = in[pos++];
                if (sep == '}') return new MiTuple(results);
                if (sep != ',') throw error("expected ',' or '}' in tuple");
            }
        }
        if (c == '[') {
            pos++;
            if (peek(end) == ']') {
                pos++;
                return new MiValue.ValueList(List.of());
            }
            // a list holds either values or results; its first item decides
            boolean ofValues = in[pos] == '"' || in[pos] == '{' || in[pos] == '[';
            List<MiValue> values = new ArrayList<>();
            List<MiResult> results = new ArrayList<>();
            while (true) {
                if (ofValues) values.add(value(end)); else results.add(result(end));
                if (pos >= end) throw error("unterminated list");
                byte sep = in[pos++];
                if (sep == ']') return ofValues ? new MiValue.ValueList(values) : new MiTuple(results);
                if (sep != ',') throw error("expected ',' or ']' in list");
            }
        }
        throw error("expected a value");
    }

    private int peek(int end) {
        if (pos >= end) throw error("unexpected end of line");
        return in[pos];
    }

    private String word(int end) {
        int start = pos;
        while (pos < end && in[pos] != ',') pos++;
        return new String(in, start, pos - start, StandardCharsets.US_ASCII);
    }

    private void expect(char c) {
        if (pos >= in.length || in[pos] != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void expectEnd(int end) {
        if (pos != end) throw error("unexpected text after the string");
    }

    /** A c-string from the opening quote; leaves pos after the closing quote. */
    private String cstring(int end) {
        if (pos >= end || in[pos] != '"') throw error("expected '\"'");
        pos++;
        int start = pos;
        boolean plain = true; // no escapes and ASCII only: decode the slice directly
        while (pos < end && in[pos] != '"') {
            if (in[pos] == '\\' || in[pos] < 0) {
                plain = false;
                break;
            }
            pos++;
        }
        if (plain) {
            if (pos >= end) throw error("unterminated string");
            String s = new String(in, start, pos - start, StandardCharsets.US_ASCII);
            pos++;
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(16, pos - start + 16));
        bytes.write(in, start, pos - start);
        while (true) {
            if (pos >= end) throw error("unterminated string");
            byte b = in[pos++];
            if (b == '"') break;
            if (b != '\\') {
                bytes.write(b);
                continue;
            }
            if (pos >= end) throw error("unterminated escape");
            byte e = in[pos++];
            switch (e) {
                case 'n' -> bytes.write('\n');
                case 't' -> bytes.write('\t');
                case 'r' -> bytes.write('\r');
                case 'a' -> bytes.write(7);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'v' -> bytes.write(11);
                case 'e' -> bytes.write(27);
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int v = e - '0';
                    for (int i = 0; i < 2 && pos < end && in[pos] >= '0' && in[pos] <= '7'; i++) v = v * 8 + (in[pos++] - '0');
                    bytes.write(v & 0xFF);
                }
                default -> bytes.write(e); // \" \\ \' and anything else stand for themselves
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private MiParseException error(String what) {
        int from = Math.max(0, pos - 20);
        int to = Math.min(in.length, pos + 20);
        String near = new String(in, from, to - from, StandardCharsets.UTF_8).replace("\n", "\\n");
        return new MiParseException("bad GDB/MI output at column " + pos + " (" + what + ") near '" + near + "'");
    }
}
