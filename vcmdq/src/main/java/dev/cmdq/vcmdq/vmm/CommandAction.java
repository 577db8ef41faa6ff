package dev.cmdq.vcmdq.vmm;

/**
 * What the trap handler does with one guest command (smmuv3-cmdq.md §5.2, accelerated stage-1 vSMMU
 * §5.3). {@link CommandActionTable} maps every opcode to one of these.
 */
public enum CommandAction
{
    /** CMD_SYNC: completed locally; everything before it that was forwarded has already been waited for. */
    SYNC,
    /** ATC_INV, CFGI_CD, CFGI_CD_ALL: forwarded raw to the one vIOMMU that owns the vSID (the host rewrites it). */
    FORWARD_BY_SID,
    /** TLBI_NH_ALL/ASID/VA/VAA, TLBI_NSNH_ALL: ASID/VMID-wide, forwarded raw to every vIOMMU of the vSMMU. */
    FORWARD_TO_ALL,
    /** CFGI_STE: not forwarded; the VMM re-installs the device's STE on the host (nested HWPT attach). */
    REINSTALL_STE,
    /** CFGI_STE_RANGE: re-installs the STE of every attached device in the aligned SID range. */
    REINSTALL_STE_RANGE,
    /** PREFETCH_*, EL2/EL3 TLBIs, PRI_RESP, RESUME, STALL_TERM: consumed with no effect (QEMU traces them). */
    IGNORE,
    /** Unknown opcode, SSec=1, or a command a stage-1-only vSMMU cannot execute: CERROR_ILL. */
    ILLEGAL
}
