package dev.cmdq.smmu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.smmu.CommandWords;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandPrinter} on words taken from the docs' worked examples and the vectors (expected
 * lines written by hand from the field tables, not produced by the printer).
 */
class CommandPrinterTest
{
    @Test
    void printsTheUnmapExampleOfLinuxUnmapSequences()
    {
        // linux-unmap-sequences.md §3.2: 33 pages leaf, second command 0004000000500012:00007f0000002701
        // = ASID 4, SCALE 5, NUM 0; ADDR 0x7f0000002000, TG 1 (bits 11:10 of 0x701), TTL 3, LEAF 1.
        assertEquals(
            "TLBI_NH_VA vmid=0x0 asid=0x4 addr=0x7f0000002000 num=0x0 scale=0x5 tg=0x1 ttl=0x3 leaf=1",
            CommandPrinter.toString(0x0004000000500012L, 0x00007f0000002701L));
    }

    @Test
    void printsSyncAtcAndCfgiAllFromTheVectors()
    {
        // smmuv3-cmd-vectors.csv: CMD_SYNC msiaddr=0x8040001230 busy_poll=0
        assertEquals("CMD_SYNC cs=0x1 msh=0x3 msiattr=0xf msidata=0x0 msiaddr=0x8040001230",
            CommandPrinter.toString(0x000000000fc01046L, 0x0000008040001230L));
        // CFGI_ALL: opcode 0x04 with range 31
        assertEquals("CFGI_STE_RANGE ssec=0 sid=0x0 range=0x1f", CommandPrinter.toString(0x4L, 0x1fL));
        // ATC_INV ssv=1 sid=0xffffffff ssid=0x41292 global=0 size=0x12 addr=0x4d1b80a5fbf8000
        assertEquals("ATC_INV sid=0xffffffff ssid=0x41292 ssv=1 global=0 addr=0x4d1b80a5fbf8000 size=0x12",
            CommandPrinter.toString(0xffffffff41292840L, 0x04d1b80a5fbf8012L));
    }

    @Test
    void showsReservedBitsAndUnknownOpcodesSoNothingIsLost()
    {
        assertEquals("TLBI_NSNH_ALL rsvd0=0x100 rsvd1=0x1", CommandPrinter.toString(0x130L, 0x1L));
        assertEquals("UNKNOWN dw0=0xabcd0009 dw1=0x0", CommandPrinter.toString(0xabcd0009L, 0));
    }

    @Test
    void printsFromABufferIntoTheCallersBuilder()
    {
        final UnsafeBuffer slot = new UnsafeBuffer(new byte[16]);
        CommandWords.put(slot, 0, 0x0000ffff00000010L, 0);
        final StringBuilder out = new StringBuilder("> ");
        CommandPrinter.print(slot, 0, out);
        assertEquals("> TLBI_NH_ALL vmid=0xffff", out.toString());
        assertEquals("0x0", CommandPrinter.appendHex(new StringBuilder(), 0).toString());
        assertEquals("0xffffffffffffffff", CommandPrinter.appendHex(new StringBuilder(), -1L).toString());
    }
}
