package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import dev.jhtrace.dbgeng.jna.client.DebugClient;
import dev.jhtrace.dbgeng.jna.client.WrapDebugClient;
import dev.jhtrace.dbgeng.jna.control.DebugControl;
import dev.jhtrace.dbgeng.jna.control.WrapDebugControl;
import dev.jhtrace.dbgeng.jna.dataspaces.DebugDataSpaces;
import dev.jhtrace.dbgeng.jna.dataspaces.WrapDebugDataSpaces;
import dev.jhtrace.dbgeng.jna.symbols.DebugSymbols;
import dev.jhtrace.dbgeng.jna.symbols.WrapDebugSymbols;
import dev.jhtrace.dbgeng.jna.sysobj.DebugSystemObjects;
import dev.jhtrace.dbgeng.jna.sysobj.WrapDebugSystemObjects;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Calls every method of every raw interface once against a Java-built vtable and checks that the slot
 * reached carries the method's own name in dbgeng-vtables.tsv (Java {@code attachProcess} must land on
 * {@code AttachProcess}). Catches a wrapper using the right enum but the wrong constant.
 */
class EveryBoundMethodTest {
    /** Methods that are plumbing, not COM calls. */
    private static final Set<String> NOT_COM = Set.of("version", "com", "release");
    /** Java methods that map to a differently named COM method. */
    private static final Map<String, String> RENAMED = Map.of(
            "readHandleDataBasic", "ReadHandleData", "readHandleDataString", "ReadHandleData");

    private record Binding(Class<?> api, DbgEngInterface newest, Function<ComObject, Object> wrap) {
    }

    private static final List<Binding> BINDINGS = List.of(
            new Binding(DebugClient.class, DbgEngInterface.IDebugClient5, WrapDebugClient::new),
            new Binding(DebugControl.class, DbgEngInterface.IDebugControl4, WrapDebugControl::new),
            new Binding(DebugSymbols.class, DbgEngInterface.IDebugSymbols3, WrapDebugSymbols::new),
            new Binding(DebugSystemObjects.class, DbgEngInterface.IDebugSystemObjects, WrapDebugSystemObjects::new),
            new Binding(DebugDataSpaces.class, DbgEngInterface.IDebugDataSpaces2, WrapDebugDataSpaces::new));

    @Test
    void everyMethodReachesTheSlotOfItsName() throws Exception {
        Map<String, Map<Integer, String>> reference = ReferenceTables.vtables();
        int checked = 0;
        for (Binding b : BINDINGS) {
            for (Method m : b.api().getMethods()) {
                if (NOT_COM.contains(m.getName())) continue;
                FakeComObject fake = FakeComObject.of(b.newest().name());
                FakeComObject other = FakeComObject.of(b.newest().name());
                // CreateClient hands out "other", whose QueryInterface answers with itself.
                if (b.api() == DebugClient.class) {
                    fake.on(ReferenceTables.slot(b.newest().name(), "CreateClient"), call -> writeOut(call, 1, other.pointer()));
                }
                other.on(0, call -> writeOut(call, 2, other.pointer()));
                Object wrapper = b.wrap().apply(fake.adopt(b.newest()));
                Object[] args = defaults(m, b, other);
                m.invoke(wrapper, args);
                List<FakeComObject.Call> calls = fake.calls();
                assertTrue(!calls.isEmpty(), m + " made no COM call");
                String expected = RENAMED.getOrDefault(m.getName(), Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1));
                // CreateClient is followed by a QueryInterface on the new object, which the fake "other" never sees.
                assertEquals(expected, reference.get(b.newest().name()).get(calls.get(0).slot()), b.api().getSimpleName() + "." + m.getName());
                checked++;
            }
        }
        assertEquals(41, checked); // 16 client, 6 control, 10 symbols, 7 system objects, 2 data spaces
    }

    private static int writeOut(FakeComObject.Call call, int arg, Pointer value) {
        call.pointerArg(arg).setPointer(0, value);
        return HResult.S_OK;
    }

    private static Object[] defaults(Method m, Binding b, FakeComObject other) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == int.class) args[i] = 0;
            else if (t == long.class) args[i] = 0L;
            else if (t == String.class) args[i] = "x";
            else if (t == Pointer.class || t == List.class) args[i] = null;
            else if (t == DebugCreateProcessOptions.class) args[i] = new DebugCreateProcessOptions();
            else if (t == DebugClient.class) args[i] = new WrapDebugClient(other.adopt(b.newest()));
            else throw new AssertionError("no default for " + t + " in " + m);
        }
        return args;
    }
}
