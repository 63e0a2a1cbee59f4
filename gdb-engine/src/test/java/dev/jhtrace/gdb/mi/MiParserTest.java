package dev.jhtrace.gdb.mi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MI parser on lines captured from gdb 13.1 on this machine, and on edge cases. */
class MiParserTest {
    private final MiParser parser = new MiParser();

    @Test
    void promptWithAndWithoutTrailingSpace() {
        assertInstanceOf(MiRecord.Prompt.class, parser.parse("(gdb) "));
        assertInstanceOf(MiRecord.Prompt.class, parser.parse("(gdb)"));
    }

    @Test
    void breakpointInsertResultFromGdb13() {
        MiRecord.Result r = (MiRecord.Result) parser.parse("12^done,bkpt={number=\"1\",type=\"breakpoint\",disp=\"keep\",enabled=\"y\","
                + "addr=\"0x0000000000001187\",func=\"main\",file=\"loop.c\",fullname=\"/tmp/gp/loop.c\",line=\"6\",thread-groups=[\"i1\"],"
                + "times=\"0\",original-location=\"main\"}");
        assertEquals(12, r.token());
        assertEquals("done", r.resultClass());
        MiTuple bkpt = r.results().get("bkpt").orElseThrow().asTuple();
        assertEquals("main", bkpt.string("func"));
        assertEquals(List.of(new MiValue.Str("i1")), bkpt.list("thread-groups"));
        assertEquals("0", bkpt.string("times"));
    }

    @Test
    void resultClasses() {
        assertEquals("running", ((MiRecord.Result) parser.parse("^running")).resultClass());
        assertEquals("connected", ((MiRecord.Result) parser.parse("3^connected")).resultClass());
        assertEquals("exit", ((MiRecord.Result) parser.parse("^exit")).resultClass());
        MiRecord.Result err = (MiRecord.Result) parser.parse("7^error,msg=\"Cannot execute this command while the selected thread is running.\"");
        assertTrue(err.isError());
        assertEquals("Cannot execute this command while the selected thread is running.", err.errorMessage());
        assertEquals(-1, ((MiRecord.Result) parser.parse("^done")).token());
        assertThrows(MiParseException.class, () -> parser.parse("^finished"));
    }

    @Test
    void asyncRecordsFromGdb13() {
        MiRecord.Async stopped = (MiRecord.Async) parser.parse("*stopped,reason=\"breakpoint-hit\",disp=\"keep\",bkptno=\"1\",frame={addr=\"0x0000555555555187\","
                + "func=\"main\",args=[{name=\"argc\",value=\"2\"},{name=\"argv\",value=\"0x7fffffffe708\"}],file=\"loop.c\",fullname=\"/tmp/gp/loop.c\","
                + "line=\"6\",arch=\"i386:x86-64\"},thread-id=\"1\",stopped-threads=\"all\",core=\"1\"");
        assertEquals('*', stopped.kind());
        assertEquals("stopped", stopped.asyncClass());
        MiTuple frame = stopped.results().get("frame").orElseThrow().asTuple();
        List<MiValue> args = frame.list("args");
        assertEquals(2, args.size());
        assertEquals("argv", args.get(1).asTuple().string("name"));
        MiRecord.Async lib = (MiRecord.Async) parser.parse("=library-loaded,id=\"/lib64/ld-linux-x86-64.so.2\",target-name=\"/lib64/ld-linux-x86-64.so.2\","
                + "host-name=\"/lib64/ld-linux-x86-64.so.2\",symbols-loaded=\"0\",thread-group=\"i1\",ranges=[{from=\"0x00007ffff7fcb060\",to=\"0x00007ffff7ff0111\"}]");
        assertEquals('=', lib.kind());
        assertEquals("0x00007ffff7ff0111", lib.results().list("ranges").get(0).asTuple().string("to"));
        MiRecord.Async running = (MiRecord.Async) parser.parse("*running,thread-id=\"all\"");
        assertEquals("all", running.results().string("thread-id"));
        MiRecord.Async status = (MiRecord.Async) parser.parse("+download,section=\".text\",section-size=\"6668\"");
        assertEquals('+', status.kind());
        assertEquals("download", status.asyncClass());
        assertEquals(0, ((MiRecord.Async) parser.parse("=thread-exited")).results().size());
    }

    @Test
    void streamRecordsAndEscapes() {
        MiRecord.Stream s = (MiRecord.Stream) parser.parse("~\"Using host libthread_db library \\\"/lib/x86_64-linux-gnu/libthread_db.so.1\\\".\\n\"");
        assertEquals('~', s.kind());
        assertEquals("Using host libthread_db library \"/lib/x86_64-linux-gnu/libthread_db.so.1\".\n", s.text());
        assertEquals("120\t../sysdeps/unix/syscall-template.S: No such file or directory.\n",
                ((MiRecord.Stream) parser.parse("&\"120\\t../sysdeps/unix/syscall-template.S: No such file or directory.\\n\"")).text());
        assertEquals("a\\b\u001b[0m\r", ((MiRecord.Stream) parser.parse("@\"a\\\\b\\e[0m\\r\"")).text());
        assertEquals("nul\0end", ((MiRecord.Stream) parser.parse("~\"nul\\000end\"")).text());
    }

    @Test
    void octalEscapedBytesDecodeAsUtf8() {
        // gdb prints non-ASCII bytes of a c-string as octal escapes: "café €" in UTF-8
        assertEquals("café €", ((MiRecord.Stream) parser.parse("~\"caf\\303\\251 \\342\\202\\254\"")).text());
        // raw UTF-8 bytes (gdb with a UTF-8 host charset) decode too, also mixed with escapes
        byte[] raw = "~\"naïve \\303\\251\"".getBytes(StandardCharsets.UTF_8);
        assertEquals("naïve é", ((MiRecord.Stream) parser.parse(raw)).text());
        MiRecord.Result r = (MiRecord.Result) parser.parse("^done,value=\"0x4005d4 \\\"\\320\\277\\321\\200\\320\\270\\320\\262\\320\\265\\321\\202\\\"\"");
        assertEquals("0x4005d4 \"привет\"", r.results().string("value"));
    }

    @Test
    void repeatedKeysAreKeptAsAMultimap() {
        MiRecord.Result r = (MiRecord.Result) parser.parse("^done,stack=[frame={level=\"0\",func=\"a\"},frame={level=\"1\",func=\"b\"},frame={level=\"2\",func=\"c\"}]");
        MiTuple stack = r.results().get("stack").orElseThrow().asTuple();
        assertEquals(3, stack.all("frame").size());
        assertEquals("b", stack.all("frame").get(1).asTuple().string("func"));
        assertEquals("a", stack.get("frame").orElseThrow().asTuple().string("func"));
        MiRecord.Result top = (MiRecord.Result) parser.parse("^done,bkpt={number=\"1\"},bkpt={number=\"2\"}");
        assertEquals(List.of("1", "2"), top.results().all("bkpt").stream().map(v -> v.asTuple().string("number")).toList());
    }

    @Test
    void nestedAndEmptyListsAndTuples() {
        MiRecord.Result r = (MiRecord.Result) parser.parse("^done,a=[],b={},c=[[\"x\",[\"y\"]],[]],d=[{e=[{f=\"g\"}]}],h=\"\"");
        MiTuple t = r.results();
        assertEquals(List.of(), t.list("a"));
        assertEquals(0, t.get("b").orElseThrow().asTuple().size());
        List<MiValue> c = t.list("c");
        assertEquals("y", c.get(0).asList().get(1).asList().get(0).asString());
        assertEquals(List.of(), c.get(1).asList());
        assertEquals("g", t.list("d").get(0).asTuple().list("e").get(0).asTuple().string("f"));
        assertEquals("", t.string("h"));
    }

    @Test
    void bareValuesWhereResultsBelongAreKeptUnnamed() {
        MiRecord.Async a = (MiRecord.Async) parser.parse("=thread-group-added,id=\"i1\",\"orphan\",{x=\"1\"}");
        assertEquals("i1", a.results().string("id"));
        assertEquals(List.of("orphan"), a.results().all("").subList(0, 1).stream().map(MiValue::asString).toList());
        assertEquals("1", a.results().all("").get(1).asTuple().string("x"));
    }

    @Test
    void customCommandOutputOfTheHelper() {
        MiRecord.Result r = (MiRecord.Result) parser.parse("5^done,events=[\"1 O 3 10093 10093 1795314842434221300 7f50e865ce67,56471067e6d2\","
                + "\"2 C 3 10093 10100 1795314842434221301 7f50e865ce67\"],remaining=\"0\",lost=\"0\",order=\"2\",enabled=\"1\"");
        assertEquals(2, r.results().list("events").size());
        assertEquals("2 C 3 10093 10100 1795314842434221301 7f50e865ce67", r.results().list("events").get(1).asString());
    }

    @Test
    void malformedLinesFailWithAClearMessage() {
        for (String bad : new String[] {"", "hello world", "^done,", "^done,a=", "^done,a=\"x", "^done,a={b=\"c\"", "^done,a=[\"x\"",
                "~\"unterminated", "~\"x\" trailing", "^done,=\"x\"", "*", "^done,a=\"x\\", "12~\"x\"", "^done,a=[\"x\",b=\"y\"]", "^done,a=b"}) {
            MiParseException e = assertThrows(MiParseException.class, () -> parser.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("bad GDB/MI output"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    @Test
    void hugeRecordsParseInLinearTime() {
        // 5 MB records of both shapes; a quadratic parser would not finish. No timing asserted.
        int n = 100_000;
        StringBuilder sb = new StringBuilder("^done,events=[");
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(',');
            sb.append("\"").append(i).append(" O 3 1 1 1795314842434221300 7f50e865ce67,56471067e6d2\\n\"");
        }
        sb.append("]");
        MiRecord.Result r = (MiRecord.Result) parser.parse(sb.toString());
        assertTrue(sb.length() > 5_000_000);
        assertEquals(n, r.results().list("events").size());
        assertEquals((n - 1) + " O 3 1 1 1795314842434221300 7f50e865ce67,56471067e6d2\n", r.results().list("events").get(n - 1).asString());

        StringBuilder one = new StringBuilder("~\"");
        for (int i = 0; i < 1_300_000; i++) one.append("\\303\\251");
        one.append('"');
        assertEquals(1_300_000, ((MiRecord.Stream) parser.parse(one.toString())).text().length());
    }
}
