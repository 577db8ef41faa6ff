package dev.cmdq.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The table's derived used-bit masks against masks computed by hand, field by field, from
 * smmuv3-cmdq.md §2.2 (and the assumptions its rows state), and its lookups against the shared vectors.
 */
class CommandRuleTableTest
{
    @Test
    void usedBitsOfEveryRowMatchTheHandComputedMasks()
    {
        // opcode -> {dw0, dw1}; dw0 always includes the opcode byte 7:0 = 0xff.
        final Map<Integer, long[]> masks = new LinkedHashMap<>();
        masks.put(0x01, new long[] {0xFFFF_FFFF_FFFF_FCFFL, 0});               // SID 63:32, SSID 31:12, SSV 11, SSec 10
        masks.put(0x02, new long[] {0xFFFF_FFFF_FFFF_FCFFL, 0xFFFF_FFFF_FFFF_FFFFL}); // + Size 4:0, Stride/NS 11:5, ADDR 63:12
        masks.put(0x03, new long[] {0xFFFF_FFFF_0000_04FFL, 0x1});             // SID, SSec; Leaf 0
        masks.put(0x04, new long[] {0xFFFF_FFFF_0000_04FFL, 0x1F});            // SID, SSec; Range 4:0
        masks.put(0x05, new long[] {0xFFFF_FFFF_FFFF_F4FFL, 0x1});             // SID, SSID, SSec; Leaf
        masks.put(0x06, new long[] {0xFFFF_FFFF_0000_04FFL, 0});
        masks.put(0x07, new long[] {0x0000_FFFF_0000_04FFL, 0});               // VMID 47:32, SSec (assumed)
        masks.put(0x10, new long[] {0x0000_FFFF_0000_00FFL, 0});               // VMID
        masks.put(0x11, new long[] {0xFFFF_FFFF_0000_00FFL, 0});               // ASID 63:48, VMID 47:32
        masks.put(0x12, new long[] {0xFFFF_FFFF_01F1_F0FFL, 0xFFFF_FFFF_FFFF_FF01L}); // + SCALE 24:20, NUM 16:12; ADDR, TG, TTL, Leaf
        masks.put(0x13, new long[] {0x0000_FFFF_01F1_F0FFL, 0xFFFF_FFFF_FFFF_FF01L});
        masks.put(0x18, new long[] {0xFFL, 0});
        masks.put(0x1a, new long[] {0x0000_0000_01F1_F0FFL, 0xFFFF_FFFF_FFFF_FF01L});
        masks.put(0x20, new long[] {0xFFL, 0});
        masks.put(0x21, new long[] {0xFFFF_0000_0000_00FFL, 0});
        masks.put(0x22, new long[] {0xFFFF_0000_01F1_F0FFL, 0xFFFF_FFFF_FFFF_FF01L});
        masks.put(0x23, new long[] {0x0000_0000_01F1_F0FFL, 0xFFFF_FFFF_FFFF_FF01L});
        masks.put(0x28, new long[] {0x0000_FFFF_0000_00FFL, 0});
        masks.put(0x2a, new long[] {0x0000_FFFF_01F1_F0FFL, 0x000F_FFFF_FFFF_FF01L}); // IPA 51:12
        masks.put(0x30, new long[] {0xFFL, 0});
        masks.put(0x40, new long[] {0xFFFF_FFFF_FFFF_FAFFL, 0xFFFF_FFFF_FFFF_F03FL}); // SID, SSID, SSV 11, Global 9; ADDR, Size 5:0
        masks.put(0x41, new long[] {0xFFFF_FFFF_FFFF_F8FFL, 0x31FFL});         // RESP 13:12, GRPID 8:0
        masks.put(0x44, new long[] {0xFFFF_FFFF_0000_34FFL, 0xFFFFL});         // SID, RESP 13:12, SSec; STAG 15:0
        masks.put(0x45, new long[] {0xFFFF_FFFF_0000_04FFL, 0});
        masks.put(0x46, new long[] {0xFFFF_FFFF_0FC0_30FFL, 0x000F_FFFF_FFFF_FFFCL}); // MSIData, MSIAttr, MSH, CS; MSIAddr 51:2
        assertEquals(masks.size(), CommandRuleTable.rowCount());
        for (final Map.Entry<Integer, long[]> e : masks.entrySet())
        {
            final CommandRule row = CommandRuleTable.row(e.getKey());
            assertNotNull(row, String.format("0x%02x", e.getKey()));
            assertEquals(e.getKey(), row.opcode());
            assertEquals(Long.toHexString(e.getValue()[0]), Long.toHexString(row.usedDword0()), row.toString());
            assertEquals(Long.toHexString(e.getValue()[1]), Long.toHexString(row.usedDword1()), row.toString());
        }
    }

    @Test
    void unknownOpcodesHaveNoRow()
    {
        for (final int op : new int[] {0x00, 0x08, 0x0f, 0x14, 0x19, 0x1b, 0x24, 0x29, 0x31, 0x42, 0x47, 0x50, 0x5a, 0x60, 0xff})
        {
            assertNull(CommandRuleTable.row(op), String.format("0x%02x", op));
        }
    }

    @Test
    void everyVectorOpcodeHasARowOfTheSameCommand()
    {
        for (final SharedCommandVectors.Row v : SharedCommandVectors.rows())
        {
            final CommandRule row = CommandRuleTable.row((int)(v.cmd0 & 0xff));
            assertNotNull(row, v.toString());
            final String expected = v.name.equals("CFGI_ALL") ? "CFGI_STE_RANGE" : v.name;
            assertEquals(expected, row.name(), v.toString());
        }
    }

    @Test
    void guestAllowListAndFlagsAreTheDocumentedOnes()
    {
        int allowed = 0;
        for (int i = 0; i < CommandRuleTable.rowCount(); i++)
        {
            final CommandRule row = CommandRuleTable.rowAt(i);
            if (row.has(CommandRule.GUEST_ALLOWED))
            {
                allowed++;
                assertTrue(row.opcode() == 0x11 || row.opcode() == 0x12 || row.opcode() == 0x40 || row.opcode() == 0x46, row.toString());
            }
            // every row that has SSec has the field at dw0 bit 10
            final FieldSpan ssec = row.fieldWithRole(FieldSpan.ROLE_SSEC);
            assertEquals(row.has(CommandRule.HAS_SSEC), ssec != null, row.toString());
            if (ssec != null)
            {
                assertEquals(1L << 10, ssec.mask(), row.toString());
            }
            assertTrue(!row.docs().isBlank(), row.toString());
        }
        assertEquals(4, allowed);
    }
}
