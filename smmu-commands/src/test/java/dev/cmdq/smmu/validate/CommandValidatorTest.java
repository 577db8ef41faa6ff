package dev.cmdq.smmu.validate;

import static dev.cmdq.queue.CommandError.ILL;
import static dev.cmdq.queue.CommandError.ILL_ACCESS;
import static dev.cmdq.queue.CommandError.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import dev.cmdq.smmu.CommandWords;
import dev.cmdq.smmu.FieldTable;
import dev.cmdq.smmu.Opcode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link CommandValidator}, with the allow-lists typed in from vcmdq-viommu.md §2 and
 * §3.7 and reserved bits derived from the reference field table (not from {@link Opcode}).
 */
class CommandValidatorTest
{
    /** vcmdq-viommu.md §2: what a guest-owned VCMDQ takes (plus CMD_SYNC with CS=NONE). */
    private static final Set<String> GUEST = Set.of("TLBI_NH_ASID", "TLBI_NH_VA", "ATC_INV", "CMD_SYNC");
    /** vcmdq-viommu.md §3.7: the eight opcodes IOMMU_HWPT_INVALIDATE accepts. */
    private static final Set<String> IOMMUFD = Set.of(
        "TLBI_NSNH_ALL", "TLBI_NH_ALL", "TLBI_NH_ASID", "TLBI_NH_VA", "TLBI_NH_VAA", "ATC_INV", "CFGI_CD", "CFGI_CD_ALL");
    /** Commands whose parameter list has SSec (CFGI_* per QEMU; the others per IHI0070). */
    private static final Set<String> WITH_SSEC = Set.of(
        "PREFETCH_CFG", "PREFETCH_ADDR", "CFGI_STE", "CFGI_STE_RANGE", "CFGI_CD", "CFGI_CD_ALL", "CFGI_VMS_PIDM",
        "RESUME", "STALL_TERM");

    /** TLBI_EL3_ALL / TLBI_EL3_VA: valid only on a Secure Command queue (IHI0070 §4.4.2.5-6). */
    private static boolean secureOnly(final Opcode opcode)
    {
        return opcode == Opcode.TLBI_EL3_ALL || opcode == Opcode.TLBI_EL3_VA;
    }

    @Test
    void unknownOpcodesAreIllegalOnEveryQueue()
    {
        for (int value = 0; value < 256; value++)
        {
            if (Opcode.of(value) == Opcode.UNKNOWN)
            {
                for (final QueueKind queue : QueueKind.values())
                {
                    for (final ReservedBits reserved : ReservedBits.values())
                    {
                        assertEquals(ILL, CommandValidator.validate(value, 0, queue, reserved), value + " " + queue);
                    }
                }
            }
        }
    }

    @Test
    void everyKnownOpcodeWithZeroFieldsIsLegalOnTheMainAndHostQueues()
    {
        for (final Opcode opcode : Opcode.known())
        {
            if (secureOnly(opcode))
            {
                continue; // ILL on every Non-secure queue: el3TlbisAreIllegalOnEveryNonSecureQueue
            }
            for (final QueueKind queue : new QueueKind[]{QueueKind.MAIN_CMDQ, QueueKind.HOST_VCMDQ})
            {
                assertEquals(NONE, CommandValidator.validate(opcode.value(), 0, queue, ReservedBits.CHECKED), opcode + " " + queue);
            }
        }
    }

    @Test
    void guestVcmdqTakesOnlyItsFourCommandsAndSyncOnlyWithCsNone()
    {
        for (final Opcode opcode : Opcode.known())
        {
            if (secureOnly(opcode))
            {
                continue; // ILL on every Non-secure queue: el3TlbisAreIllegalOnEveryNonSecureQueue
            }
            final int expected = GUEST.contains(opcode.name()) ? NONE : ILL_ACCESS;
            assertEquals(expected, CommandValidator.validate(opcode.value(), 0, QueueKind.GUEST_VCMDQ, ReservedBits.IGNORED), opcode.name());
        }
        // CMD_SYNC CS=IRQ / SEV (dword 0 bits 13:12) are not accepted on a guest VCMDQ.
        assertEquals(ILL_ACCESS, CommandValidator.validate(0x46L | (1L << 12), 0, QueueKind.GUEST_VCMDQ, ReservedBits.IGNORED));
        assertEquals(ILL_ACCESS, CommandValidator.validate(0x46L | (2L << 12), 0, QueueKind.GUEST_VCMDQ, ReservedBits.IGNORED));
        assertEquals(NONE, CommandValidator.validate(0x0fc00046L, 0, QueueKind.GUEST_VCMDQ, ReservedBits.CHECKED));
    }

    @Test
    void iommufdAcceptsItsEightOpcodesAndRejectsTheRestIncludingSync()
    {
        for (final Opcode opcode : Opcode.known())
        {
            final int expected = IOMMUFD.contains(opcode.name()) ? NONE : ILL;
            assertEquals(expected, CommandValidator.validate(opcode.value(), 0, QueueKind.IOMMUFD_INVALIDATE, ReservedBits.CHECKED), opcode.name());
        }
        // NSNH_ALL is rewritten to NH_ALL + VMID with dword 1 zeroed: nothing of the guest's bits survives.
        assertEquals(NONE, CommandValidator.validate(0xFFFF_0000_0000_0030L, -1L, QueueKind.IOMMUFD_INVALIDATE, ReservedBits.CHECKED));
        // Any other accepted command keeps its bits and meets the main CMDQ's checks.
        assertEquals(ILL, CommandValidator.validate(0x0000_0000_0000_0411L, 0, QueueKind.IOMMUFD_INVALIDATE, ReservedBits.CHECKED));
        assertEquals(ILL, CommandValidator.validate(0x0000_0000_0000_0405L, 0, QueueKind.IOMMUFD_INVALIDATE, ReservedBits.IGNORED), "SSec on CFGI_CD");
    }

    @Test
    void ssecOneIsIllegalForEveryCommandThatHasIt()
    {
        for (final Opcode opcode : Opcode.known())
        {
            if (secureOnly(opcode))
            {
                continue; // ILL on every Non-secure queue: el3TlbisAreIllegalOnEveryNonSecureQueue
            }
            final long dword0 = opcode.value() | (1L << 10);
            final int ignored = CommandValidator.validate(dword0, 0, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED);
            if (WITH_SSEC.contains(opcode.name()))
            {
                assertEquals(ILL, ignored, opcode.name());
            }
            else
            {
                // Bit 10 is then RES0 (or, for TLBIs, unused): legal unless reserved bits are checked.
                assertEquals(NONE, ignored, opcode.name());
                assertEquals(ILL, CommandValidator.validate(dword0, 0, QueueKind.MAIN_CMDQ, ReservedBits.CHECKED), opcode.name());
            }
        }
    }

    @Test
    void theReservedRangeTlbiEncodingIsIllegal()
    {
        final long tg1 = 1L << 10;
        for (final Opcode opcode : new Opcode[]{
            Opcode.TLBI_NH_VA, Opcode.TLBI_NH_VAA, Opcode.TLBI_EL2_VA, Opcode.TLBI_EL2_VAA, Opcode.TLBI_S2_IPA})
        {
            final long op = opcode.value();
            assertEquals(ILL, CommandValidator.validate(op, tg1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), opcode.name());
            assertEquals(ILL, CommandValidator.validate(op, 3L << 10 | 0x7f0000001000L | 1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), opcode + " leaf does not help");
            assertEquals(NONE, CommandValidator.validate(op | 1L << 12, tg1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), opcode + " NUM=1");
            assertEquals(NONE, CommandValidator.validate(op | 1L << 20, tg1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), opcode + " SCALE=1");
            assertEquals(NONE, CommandValidator.validate(op, tg1 | 1L << 8, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), opcode + " TTL=1");
            assertEquals(NONE, CommandValidator.validate(op, 0, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), opcode + " TG=0");
        }
        // Linux's own padded 33-page command is legal (linux-unmap-sequences.md §3.2).
        assertEquals(NONE, CommandValidator.validate(0x0004000000110012L, 0x00007f0000001400L, QueueKind.MAIN_CMDQ, ReservedBits.CHECKED));
    }

    @Test
    void the16kLevel1RangeEncodingIsReservedToo()
    {
        // TG=16K (dword1 bits 11:10 = 2), TTL=1 (bits 9:8), NUM=SCALE=0: IHI0070 §4.4.1.1.
        final long tg16kTtl1 = 2L << 10 | 1L << 8 | 0x4000L;
        assertEquals(ILL, CommandValidator.validate(0x12, tg16kTtl1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED));
        assertEquals(NONE, CommandValidator.validate(0x12 | 1L << 12, tg16kTtl1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), "NUM=1");
        assertEquals(NONE, CommandValidator.validate(0x12, 2L << 10 | 2L << 8 | 0x4000L, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), "TTL=2");
        assertEquals(NONE, CommandValidator.validate(0x12, 1L << 10 | 1L << 8 | 0x1000L, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), "4K TTL=1");
        assertEquals(NONE, CommandValidator.validate(0x12, 3L << 10 | 1L << 8 | 0x10000L, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), "64K TTL=1");
    }

    @Test
    void el3TlbisAreIllegalOnEveryNonSecureQueue()
    {
        for (final QueueKind queue : QueueKind.values())
        {
            assertEquals(ILL, CommandValidator.validate(0x18, 0, queue, ReservedBits.IGNORED), "TLBI_EL3_ALL on " + queue);
            assertEquals(ILL, CommandValidator.validate(0x1A, 0x1000, queue, ReservedBits.IGNORED), "TLBI_EL3_VA on " + queue);
        }
    }

    @Test
    void atcInvSizeAbove52IsIllegal()
    {
        // ATC_INV 0x40, SID 8 in dword0 bits 63:32; SIZE is dword1 bits 5:0 (smmuv3-cmdq.md §2.2).
        final long atc = 0x40 | 8L << 32;
        assertEquals(NONE, CommandValidator.validate(atc, 52, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), "52 = everything");
        for (long size = 53; size < 64; size++)
        {
            assertEquals(ILL, CommandValidator.validate(atc, size, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED), "SIZE=" + size);
            assertEquals(ILL, CommandValidator.validate(atc, size, QueueKind.IOMMUFD_INVALIDATE, ReservedBits.IGNORED), "SIZE=" + size);
        }
    }

    @Test
    void everyReservedBitIsIllegalOnlyWhenCheckedAndFieldBitsAreNot()
    {
        for (final Opcode opcode : Opcode.known())
        {
            if (secureOnly(opcode))
            {
                continue; // ILL on every Non-secure queue: el3TlbisAreIllegalOnEveryNonSecureQueue
            }
            long fields0 = 0xFF;
            long fields1 = 0;
            for (final FieldTable.Row row : FieldTable.fields(opcode.name()))
            {
                if (row.dword() == 0)
                {
                    fields0 |= row.mask();
                }
                else
                {
                    fields1 |= row.mask();
                }
            }
            // Bits 7:0 are the opcode itself; every other bit of both dwords is tried alone.
            for (int bit = 8; bit < 128; bit++)
            {
                final long dword0 = opcode.value() | (bit < 64 ? 1L << bit : 0);
                final long dword1 = bit >= 64 ? 1L << (bit - 64) : 0;
                final boolean field = bit < 64 ? (fields0 & (1L << bit)) != 0 : (fields1 & dword1) != 0;
                final boolean unverified = opcode == Opcode.PREFETCH_ADDR && bit >= 64 + 5 && bit <= 64 + 11;
                final int checked = CommandValidator.validate(dword0, dword1, QueueKind.MAIN_CMDQ, ReservedBits.CHECKED);
                final int ignored = CommandValidator.validate(dword0, dword1, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED);
                final String what = opcode + " bit " + (bit < 64 ? "dw0[" + bit : "dw1[" + (bit - 64)) + "]";
                if (field || unverified)
                {
                    // A single field bit is legal, except SSec (an ILLEGAL value) and a lone TG bit
                    // (the reserved range encoding).
                    final boolean ssec = bit == 10 && WITH_SSEC.contains(opcode.name());
                    final boolean tgAlone = (bit == 64 + 10 || bit == 64 + 11) && opcode.has(dev.cmdq.smmu.TlbiLayout.TG);
                    final int expected = ssec || tgAlone ? ILL : NONE;
                    assertEquals(expected, checked, what);
                    assertEquals(expected, ignored, what);
                }
                else
                {
                    assertEquals(ILL, checked, what + " reserved, checked");
                    assertEquals(NONE, ignored, what + " reserved, ignored");
                }
            }
        }
    }

    @Test
    void reservedFieldValuesAreIllegalOnlyWhenChecked()
    {
        final long syncCs3 = 0x46L | 3L << 12;
        assertEquals(ILL, CommandValidator.validate(syncCs3, 0, QueueKind.MAIN_CMDQ, ReservedBits.CHECKED));
        assertEquals(NONE, CommandValidator.validate(syncCs3, 0, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED));
        final long priResp3 = 3L << 12;
        assertEquals(ILL, CommandValidator.validate(0x41, priResp3, QueueKind.MAIN_CMDQ, ReservedBits.CHECKED));
        assertEquals(NONE, CommandValidator.validate(0x41, priResp3, QueueKind.MAIN_CMDQ, ReservedBits.IGNORED));
    }

    @Test
    void theInstanceFormReadsTheSlotAndRefusesNulls()
    {
        final UnsafeBuffer ring = new UnsafeBuffer(new byte[32]);
        CommandWords.put(ring, 16, 0x0000000000000405L, 0);
        final CommandValidator validator = new CommandValidator(QueueKind.MAIN_CMDQ, ReservedBits.IGNORED);
        assertEquals(ILL, validator.validate(ring, 16));
        assertEquals(ILL, validator.validate(ring, 0), "slot 0 is all zero: opcode 0 is unknown");
        assertThrows(NullPointerException.class, () -> new CommandValidator(null, ReservedBits.CHECKED));
    }
}
