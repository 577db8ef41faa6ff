package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Columns found by header name, blank lines skipped, short lines kept as malformed rows.
 */
class UnmapVectorFileTest
{
    @Test
    void columnsAreFoundByName()
    {
        final List<UnmapVectorRow> rows = UnmapVectorFile.parse(List.of(
            "issues,n_syncs,n_cmds,commands,inputs,op",
            "",
            "1+S,1,2,a:b|c:d,k=v,atc_inv",
            "1+S,1"));
        assertEquals(2, rows.size());
        final UnmapVectorRow row = rows.get(0);
        assertEquals(1, row.number());
        assertEquals(3, row.line());
        assertEquals("atc_inv", row.op());
        assertEquals("k=v", row.inputs());
        assertEquals("a:b|c:d", row.commands());
        assertEquals("2", row.nCmds());
        assertEquals("1", row.nSyncs());
        assertEquals("1+S", row.issues());
        assertNull(row.malformed());
        assertEquals(4, rows.get(1).line());
        assertTrue(rows.get(1).malformed().contains("2 fields where the header has 6"), rows.get(1).malformed());
    }

    @Test
    void aHeaderWithoutAColumnIsRefused()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> UnmapVectorFile.parse(List.of("op,inputs,commands,n_cmds,n_syncs")));
        assertTrue(ex.getMessage().contains("'issues'"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UnmapVectorFile.parse(List.of()));
    }

    @Test
    void commandsParseAsTwoWordsPerEntry()
    {
        final long[] words = UnmapVectorCheck.parseCommands("0004000000000012:00007f0000001701|000000000fc02046:0000000000000000");
        assertEquals(4, words.length);
        assertEquals(0x0004000000000012L, words[0]);
        assertEquals(0x00007f0000001701L, words[1]);
        assertEquals(0x000000000fc02046L, words[2]);
        assertEquals(0, words[3]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UnmapVectorCheck.parseCommands("12:34"))
            .getMessage().contains("entry 0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> UnmapVectorCheck.parseCommands("000000000fc02046:000000000000000g")).getMessage().contains("hexadecimal"));
    }
}
