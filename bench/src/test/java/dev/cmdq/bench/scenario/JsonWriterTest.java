package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The writer's output against hand-written JSON, and read back by the independent parser.
 */
class JsonWriterTest
{
    @Test
    void nestedValuesGetTheirCommasAndEscapes()
    {
        final String json = new JsonWriter().beginObject()
            .name("a").value(1L)
            .name("b").beginArray().value("x\"y").value(true).value(Double.NaN).value(2.5).endArray()
            .name("c").beginObject().endObject()
            .name("d").value("tab\there\u0001")
            .endObject().toString();
        assertEquals("{\"a\":1,\"b\":[\"x\\\"y\",true,null,2.5],\"c\":{},\"d\":\"tab\\there\\u0001\"}", json);
        final Map<?, ?> parsed = (Map<?, ?>)TinyJson.parse(json);
        assertEquals(java.util.Arrays.asList("x\"y", true, null, 2.5), parsed.get("b"));
        assertEquals("tab\there\u0001", parsed.get("d"));
    }
}
