package dev.cmdq.smmu.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link CommandParser}: accepted forms and typed, named errors.
 */
class CommandParserTest
{
    @Test
    void parsesTheLineFormInAnyOrderWithMissingFieldsZero()
    {
        assertArrayEquals(new long[]{0x0004000000500012L, 0x00007f0000002701L}, CommandParser.parse(
            "TLBI_NH_VA leaf=1 ttl=3 tg=0x1 scale=5 asid=0x4 addr=0x7f0000002000"));
        assertArrayEquals(new long[]{0x46L, 0L}, CommandParser.parse("  CMD_SYNC  "));
    }

    @Test
    void cfgiAllMeansRange31()
    {
        assertArrayEquals(new long[]{0x4L, 0x1fL}, CommandParser.parse("CFGI_ALL"));
        assertArrayEquals(new long[]{0x4L, 0x1fL}, CommandParser.parse("CFGI_ALL range=0x1f"));
        assertArrayEquals(new long[]{0x4L, 0x3L}, CommandParser.parse("CFGI_STE_RANGE range=3"));
        expect("CFGI_ALL range=0x3", "range=31");
        assertArrayEquals(new long[]{0x0000000500000001L, 0L}, CommandParser.parse("PREFETCH_CONFIG sid=5"));
    }

    @Test
    void errorsNameTheOffendingTokenOrField()
    {
        expect("", "empty");
        expect("TLBI_FOO vmid=1", "TLBI_FOO");
        expect("TLBI_NH_VA pasid=1", "pasid");
        expect("TLBI_S2_IPA asid=0x1", "asid");
        expect("TLBI_NH_VA vmid=0x10000", "vmid");
        expect("TLBI_NH_VA vmid=1 vmid=2", "vmid");
        expect("TLBI_NH_VA addr=0x1008", "addr");
        expect("TLBI_S2_IPA addr=0x10000000000000", "addr");
        expect("TLBI_NH_VA vmid", "vmid");
        expect("TLBI_NH_VA vmid=0xzz", "vmid");
        expect("TLBI_NH_VA vmid=-1", "vmid");
        expect("TLBI_NH_VA leaf=2", "leaf");
        expect("TLBI_NH_VA rsvd0=0x1", "rsvd0");
        expect("UNKNOWN dw0=0x12 dw1=0x0", "TLBI_NH_VA");
        expect("UNKNOWN dw0=0x9", "dw0");
    }

    private static void expect(final String line, final String named)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CommandParser.parse(line), line);
        assertTrue(ex.getMessage().contains(named), "'" + ex.getMessage() + "' should name " + named);
    }
}
