package io.linerate.sink.jsonl;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.decode.tunnel.TunnelStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON-lines file output: whole lines, whatever happens to one record. */
class JsonLinesOutputTest
{
    @TempDir
    Path dir;

    @Test
    void aRecordThatFailsHalfWayLeavesNothingOfItselfInTheFile() throws Exception
    {
        final Path file = dir.resolve("flows.jsonl");
        final JsonLinesOutput output = JsonLinesOutput.open(file.toString(), "t");
        final FlowRecordListener shard = output.listener();
        shard.onRecord(view(false), true, EndReason.FIN);
        // The encoder has written the record's first fields when the view fails on its verdict.
        assertThrows(IllegalStateException.class, () -> shard.onRecord(view(true), true, EndReason.FIN));
        shard.onRecord(view(false), true, EndReason.FIN);
        shard.onEndOfBatch();
        output.close();

        final List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), String.join("\n", lines));
        for (final String line : lines)
        {
            assertTrue(line.startsWith("{\"schema\":") && line.endsWith("}"), line);
            assertFalse(line.indexOf("{\"schema\":", 1) > 0, "one record a line: " + line);
        }
        assertEquals(lines.get(0), lines.get(1));
        assertEquals(2, output.records());
    }

    /**
     * A flow whose every answer is the type's plainest (zero, false, the first constant, an empty
     * tunnel stack, "x"); one that {@code breaks} throws when asked for its verdict's detail.
     */
    private static FlowView view(final boolean breaks)
    {
        return (FlowView)proxy(FlowView.class, breaks);
    }

    private static Object proxy(final Class<?> type, final boolean breaks)
    {
        final InvocationHandler answers = (self, method, args) -> answer(self, method, args, breaks);
        return Proxy.newProxyInstance(JsonLinesOutputTest.class.getClassLoader(), new Class<?>[] {type}, answers);
    }

    private static Object answer(final Object self, final Method method, final Object[] args, final boolean breaks)
        throws Throwable
    {
        if (breaks && method.getName().equals("verdictDetail"))
        {
            throw new IllegalStateException("a view that breaks");
        }
        if (method.isDefault())
        {
            return InvocationHandler.invokeDefault(self, method, args);
        }
        final Class<?> t = method.getReturnType();
        if (t == boolean.class)
        {
            return false;
        }
        if (t == int.class)
        {
            return 0;
        }
        if (t == long.class)
        {
            return 0L;
        }
        if (t == double.class)
        {
            return 0.0;
        }
        if (t == char.class)
        {
            return 'x';
        }
        if (t == String.class)
        {
            return "x";
        }
        if (t == TunnelStack.class)
        {
            return new TunnelStack();
        }
        if (t.isEnum())
        {
            return t.getEnumConstants()[0];
        }
        if (t.isInterface())
        {
            return proxy(t, breaks);
        }
        return null;
    }
}
