/**
 * The model of one physical SMMU's caches that command execution acts on, and the exact scope of every
 * invalidation command (issue 5, hw layer).
 *
 * <p><b>Owns:</b> {@link dev.cmdq.vcmdq.hw.cache.SmmuCaches} — the façade the engine calls with each
 * executed command ({@code execute(dword0, dword1)}), dispatching on the opcode to
 * {@link dev.cmdq.vcmdq.hw.cache.TlbCache} (entries keyed by kind, VMID, ASID, address span, leaf),
 * {@link dev.cmdq.vcmdq.hw.cache.AtcCache} (by StreamID, SubstreamID or none, Global, span) and
 * {@link dev.cmdq.vcmdq.hw.cache.ConfigCache} (STEs by StreamID, CDs by StreamID and SubstreamID).
 * Fields are read with the smmu-commands decoders; no bit position is re-derived here.
 *
 * <p><b>What each command removes</b> (IHI0070 §4.3–4.5 as understood here; smmuv3-cmdq.md §2.2):
 * <pre>
 *   TLBI_NH_ALL     STAGE1 + STAGE1_GLOBAL of VMID                          (not STAGE2)
 *   TLBI_NH_ASID    STAGE1 of VMID, ASID                                    (not global entries)
 *   TLBI_NH_VA      STAGE1 of VMID, ASID + STAGE1_GLOBAL of VMID, in range  (LEAF: leaf entries only)
 *   TLBI_NH_VAA     STAGE1 + STAGE1_GLOBAL of VMID, any ASID, in range      (LEAF)
 *   TLBI_S2_IPA     STAGE2 of VMID, in IPA range (bits 51:12)               (LEAF; not STAGE1, see TlbEntryKind)
 *   TLBI_S12_VMALL  every STAGE1, STAGE1_GLOBAL, STAGE2 entry of VMID
 *   TLBI_NSNH_ALL   every STAGE1, STAGE1_GLOBAL, STAGE2 entry of every VMID (not EL2)
 *   TLBI_EL2_ALL    EL2 + EL2_GLOBAL
 *   TLBI_EL2_ASID   EL2 of ASID                                             (not EL2_GLOBAL)
 *   TLBI_EL2_VA     EL2 of ASID + EL2_GLOBAL, in range                      (LEAF)
 *   TLBI_EL2_VAA    EL2 + EL2_GLOBAL, any ASID, in range                    (LEAF)
 *   TLBI_EL3_*      nothing: no EL3 entries are modelled (a Non-secure SMMU model)
 *   ATC_INV         entries of SID in the span: SSV=0 every one (with or without PASID);
 *                   SSV=1 those of SSID, plus the global ones when Global=1;
 *                   Size 0..51 = 2^Size 4 KiB pages with ADDR aligned down, Size 52 = whole SID
 *   CFGI_STE        the STE of SID and the CDs of SID
 *   CFGI_STE_RANGE  STEs and CDs of 2^(Range+1) SIDs from SID aligned down; Range 31 = all (CFGI_ALL)
 *   CFGI_CD         the CD (SID, SSID)
 *   CFGI_CD_ALL     every CD of SID (not the STE)
 *   CFGI_VMS_PIDM, PREFETCH_*, CMD_SYNC, PRI_RESP, RESUME, STALL_TERM   nothing
 * </pre>
 * A range TLBI covers {@code (NUM+1) * 2^SCALE} granules of {@code 2^(2*TG+10)} bytes from ADDR; TG=0
 * is the single address ADDR (NUM, SCALE ignored). An entry is hit when its span shares a byte with
 * the range, so a block or walk-cache entry that only partly overlaps goes too.
 *
 * <p><b>Semantic choices and assumptions</b> (marked where taken from the architecture from memory rather
 * than from a source read here):
 * <ul>
 *   <li><b>TTL is ignored.</b> It is a hint of the level of the leaf entries being removed; an
 *       implementation may remove entries of every level in the range, which is what the model does.
 *       That is architecturally correct (never under-broad) and stays inside the command's own
 *       VMID/ASID/range, so it cannot hide an isolation bug.</li>
 *   <li><b>Global (nG=0) entries</b> have no ASID: by-VA commands with an ASID (NH_VA, EL2_VA) remove
 *       them, by-ASID commands (NH_ASID, EL2_ASID) do not [spec, from memory].</li>
 *   <li><b>Stage 1 vs combined entries:</b> {@code STAGE1} stands for stage-1-only and combined
 *       stage 1+2 entries; TLBI_S2_IPA removes {@code STAGE2} entries only [spec, from memory].</li>
 *   <li><b>EL2 entries</b> are modelled (kinds EL2, EL2_GLOBAL) for the TLBI_EL2_* commands the host
 *       sends; they carry no VMID and no VM command touches them.</li>
 *   <li><b>LEAF=1</b> removes only leaf (last-level) entries; LEAF=0 removes walk-cache entries too.</li>
 *   <li><b>Address bits below the range granule</b> (TLBI, TG=2,3) and below the ATC_INV span are
 *       ignored (aligned down) [spec, unverified here]; Linux never sets them.</li>
 *   <li><b>STE invalidation also drops the stream's CDs</b> (they were fetched through the STE; QEMU
 *       flushes a stream's whole configuration too) [spec, from memory]. Leaf changes nothing: L1
 *       descriptors are not modelled.</li>
 *   <li><b>Refused (CERROR_ILL, nothing changes):</b> unknown opcode; the reserved range-TLBI encoding
 *       TG≠0 with NUM=SCALE=TTL=0 (linux-unmap-sequences.md §3.2); ATC_INV Size 53..63 (no
 *       meaning; an assumption); CFGI with SSec=1 (no Secure stream is modelled).</li>
 *   <li><b>Capacity:</b> fixed, preallocated. A full cache refuses an insert with
 *       {@link dev.cmdq.vcmdq.hw.cache.CacheFullException}; it never evicts, because an eviction would
 *       look like an invalidation and hide an under-broad one. Inserting an identical entry is a
 *       no-op.</li>
 *   <li><b>Threads:</b> single writer (the SMMU's engine thread; inserts there or while it is stopped).
 *       Counts ({@code size()}, {@code removed*()}) are release-stored by the writer and acquire-loaded
 *       by any reader; scanning queries ({@code contains*}, {@code count*}) are for the writer or a
 *       stopped engine.</li>
 * </ul>
 * Depends only on queue-core ({@link dev.cmdq.queue.CommandError}) and smmu-commands.
 */
package dev.cmdq.vcmdq.hw.cache;
