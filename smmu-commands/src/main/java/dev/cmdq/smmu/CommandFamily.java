package dev.cmdq.smmu;

/**
 * Commands that share one layout and therefore one encoder and one decoder class.
 */
public enum CommandFamily
{
    /** PREFETCH_CFG, PREFETCH_ADDR ({@link PrefetchLayout}). */
    PREFETCH,
    /** CFGI_STE, CFGI_STE_RANGE, CFGI_CD, CFGI_CD_ALL, CFGI_VMS_PIDM ({@link CfgiLayout}). */
    CFGI,
    /** Every TLBI_* opcode ({@link TlbiLayout}). */
    TLBI,
    /** ATC_INV ({@link AtcInvLayout}). */
    ATC_INV,
    /** PRI_RESP ({@link PriRespLayout}). */
    PRI_RESP,
    /** RESUME ({@link StallLayout}). */
    RESUME,
    /** STALL_TERM ({@link StallLayout}). */
    STALL_TERM,
    /** CMD_SYNC ({@link CmdSyncLayout}). */
    CMD_SYNC,
    /** The family of {@link Opcode#UNKNOWN}: no layout. */
    NONE
}
