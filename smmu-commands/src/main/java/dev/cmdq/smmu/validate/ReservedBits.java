package dev.cmdq.smmu.validate;

/**
 * Whether RES0 bits and reserved field values are checked. The architecture lets an implementation
 * do either (ARM IHI0070 §4.1.5: "detects non-zero use of a Reserved field as a malformed command,
 * resulting in CERROR_ILL" or "ignores the entirety of any Reserved fields"); QEMU ignores them.
 */
public enum ReservedBits
{
    /** Reserved bits and values are ignored (QEMU's behaviour). */
    IGNORED,
    /** Non-zero RES0 bits and reserved field values raise CERROR_ILL (what real hardware may do). */
    CHECKED
}
