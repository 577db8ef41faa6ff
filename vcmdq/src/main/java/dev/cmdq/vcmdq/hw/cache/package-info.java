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
 * <p><b>What each command removes</b> (IHI0070 §4.3–4.5, read in the arm-md-specs Markdown rendering of
 * the SMMUv3 specification; field positions from smmuv3-cmdq.md §2.2):
 * <pre>
 *   TLBI_NH_ALL     STAGE1 + STAGE1_GLOBAL of VMID ("including global")     (not STAGE2)
 *   TLBI_NH_ASID    STAGE1 of VMID, ASID ("non-global entries")
 *   TLBI_NH_VA      STAGE1 of VMID, ASID + STAGE1_GLOBAL of VMID, in range  (LEAF: leaf entries only)
 *   TLBI_NH_VAA     STAGE1 + STAGE1_GLOBAL of VMID, any ASID, in range      (LEAF)
 *   TLBI_S2_IPA     STAGE2 of VMID, in IPA range (bits 51:12)               (LEAF; not combined S1+S2)
 *   TLBI_S12_VMALL  every STAGE1, STAGE1_GLOBAL, STAGE2 entry of VMID
 *   TLBI_NSNH_ALL   every STAGE1, STAGE1_GLOBAL, STAGE2 entry of every VMID (not EL2)
 *   TLBI_EL2_ALL    EL2 + EL2_GLOBAL
 *   TLBI_EL2_ASID   EL2 of ASID ("non-global")
 *   TLBI_EL2_VA     EL2 of ASID + EL2_GLOBAL, in range                      (LEAF)
 *   TLBI_EL2_VAA    EL2 + EL2_GLOBAL, any ASID, in range                    (LEAF)
 *   TLBI_EL3_*      CERROR_ILL: valid only on a Secure Command queue
 *   ATC_INV         entries of SID in the span: SSV=0 every one (with or without PASID),
 *                   SSV=1 those of SSID; Size 0..51 = 2^Size 4 KiB pages, ADDR aligned down to the
 *                   span ("the Address span is aligned to its size"); Size 52 = everything of SID
 *   CFGI_STE        the STE of SID and every CD cached through it
 *   CFGI_STE_RANGE  STEs and CDs of 2^(Range+1) SIDs, low Range+1 SID bits ignored; Range 31 = CFGI_ALL
 *   CFGI_CD         the CD (SID, SSID)
 *   CFGI_CD_ALL     every CD of SID (not the STE)
 *   CFGI_VMS_PIDM, PREFETCH_*, CMD_SYNC, PRI_RESP, RESUME, STALL_TERM   nothing
 * </pre>
 * A range TLBI covers {@code Address <= A < Address + (NUM+1) * 2^SCALE * 2^(2*TG+10)}; TG=0 is the
 * single address ADDR (an entry is hit when its span contains it). An entry is hit when its span shares
 * a byte with the range, so a block or walk-cache entry that only partly overlaps goes too.
 *
 * <p><b>Semantic choices and assumptions:</b>
 * <ul>
 *   <li><b>TG and TTL narrow nothing here.</b> With TG≠0 the SMMU is only <em>required</em> to remove
 *       entries inserted with that granule, and with TTL≠0 leaf entries of that level; the model does
 *       not record granule or level, so it removes every entry in the range. That is the
 *       over-invalidation the architecture permits, never under-broad, and it stays inside the
 *       command's own VMID/ASID/range, so it cannot hide an isolation bug.</li>
 *   <li><b>Stage 1 vs combined entries:</b> {@code STAGE1} stands for stage-1-only and combined
 *       stage 1+2 entries; TLBI_S2_IPA "is not required to invalidate" combined entries and the model
 *       does not (software follows it with TLBI_NH_ALL / NH_VAA).</li>
 *   <li><b>EL2 entries</b> model an SMMU with SMMU_CR2.E2H = 1 (a VHE host, which is when Linux uses the
 *       TLBI_EL2_* commands): ASID-tagged {@code EL2} and {@code EL2_GLOBAL}. No VM command touches
 *       them.</li>
 *   <li><b>VMID is always matched</b> by the NH commands: the modelled SMMU implements stage 2 (it runs
 *       VMs).</li>
 *   <li><b>LEAF=1</b> removes only leaf (last-level) entries; LEAF=0 removes walk-cache entries too.</li>
 *   <li><b>No global ATC entries:</b> the SMMU answers a PASID-tagged ATS request with Global = 0
 *       (IHI0070 §3.9.1), so ATC_INV's Global flag has nothing to act on.</li>
 *   <li><b>STE invalidation drops the stream's CDs</b> ("invalidates all Context Descriptors (including
 *       L1CD) that were cached using the given StreamID", §4.3.1). Leaf changes nothing: L1
 *       descriptors are not modelled.</li>
 *   <li><b>Refused (CERROR_ILL, nothing changes):</b> unknown opcode; the reserved range-TLBI encodings
 *       (TG≠0, NUM=SCALE=0, effective TTL=0, including TG=16K with TTL=1 under SMMU_IDR5.DS = 0);
 *       TLBI_EL3_*; ATC_INV Size 53..63 (the architecture permits CERROR_ILL); CFGI with SSec=1.</li>
 *   <li><b>Capacity:</b> fixed, preallocated. A full cache refuses an insert with
 *       {@link dev.cmdq.vcmdq.hw.cache.CacheFullException}; it never evicts, because an eviction would
 *       look like an invalidation and hide an under-broad one. Inserting an identical entry is a
 *       no-op.</li>
 *   <li><b>Threads:</b> single writer (the SMMU's engine thread; inserts there or while it is stopped).
 *       Counts ({@code size()}, {@code removed*()}) are release-stored by the writer and acquire-loaded
 *       by any reader; scanning queries ({@code contains*}, {@code count*}) are for the writer or a
 *       stopped engine.</li>
 * </ul>
 * The same choices, one line each for reports: {@link dev.cmdq.vcmdq.hw.cache.CacheAssumptions}.
 *
 * <p>Depends only on queue-core ({@link dev.cmdq.queue.CommandError}), smmu-commands (decoders, opcodes,
 * layouts) and Agrona (the scratch slot).
 */
package dev.cmdq.vcmdq.hw.cache;
