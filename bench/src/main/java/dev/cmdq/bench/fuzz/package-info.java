/**
 * The fuzzer's two halves that must not depend on the system they check: <b>what to feed</b> (a seeded
 * generator of random, valid and singly-corrupted 128-bit commands) and <b>what must happen</b> (an
 * independent, table-driven oracle of the CERROR code or trap action per queue kind), plus the session
 * that compares a {@link dev.cmdq.bench.fuzz.FuzzTarget} with the oracle and the report it fills.
 *
 * <p>Owns: {@link dev.cmdq.bench.fuzz.CommandRuleTable} (the rules as data, one row per opcode),
 * {@link dev.cmdq.bench.fuzz.CerrorOracle} (the fixed order in which rules are tried),
 * {@link dev.cmdq.bench.fuzz.FuzzContext} (the VM's vSIDs and the modes). The oracle was written from
 * {@code shared/docs} only; it does not read or call {@code dev.cmdq.smmu.validate}, {@code Opcode}'s
 * reserved masks or any decoder. The generator uses nothing of smmu-commands either: it builds commands
 * field by field from the same table's field layout (pinned by hand-computed masks and the shared Linux
 * vectors in the tests), but states the outcome each corruption is meant to cause in its own code, so the
 * cross-check between generator intent and oracle verdict is between two separately written statements of
 * the rules.
 *
 * <p>{@link dev.cmdq.bench.fuzz.FuzzSession} checks per command: no exception escaped the target, the
 * observed outcome is the oracle's, the command was executed exactly once (never if it halted the queue),
 * and after a halt, repair + acknowledge followed by a probe CMD_SYNC (CS = NONE) executes exactly that
 * probe, i.e. the queue recovered and the repair re-ran nothing. Queue kinds are fed round robin, one
 * command per submit; the target is expected to run its consumer until the command is consumed or the
 * queue halted (deterministic, inline mode).
 *
 * <p>Assumptions of the oracle, each with its source (smmuv3-cmdq.md unless named otherwise):
 * <ul>
 *   <li>Unknown opcode: every value §2.1 does not list, incl. the Secure-only TLBIs 0x50..0x60, is
 *       CERROR_ILL on every queue kind; 0x07 CFGI_VMS_PIDM is known on device queues (§2.1) but ILL on the
 *       trapped path (QEMU's enum puts CFGI_ALL there, a real 0x07 hits the default branch, §7.2).</li>
 *   <li>Field layouts are §2.2's tables. Rows §2.2 has no table for were filled from the ARM spec from
 *       memory, unverified, and say so in their {@code docs}: PREFETCH_ADDR (dw1 Size 4:0, ADDR 63:12),
 *       CFGI_VMS_PIDM (SSec 10, VMID 47:32), TLBI_EL3_ALL (opcode only), TLBI_EL3_VA and TLBI_EL2_VAA
 *       (EL2_VA without ASID), STALL_TERM (SSec 10, SID 63:32). TLBI_NH_VAA is NH_VA without ASID (§2.2,
 *       marked unverified there).</li>
 *   <li>SSec (dw0 bit 10) exists on CFGI_*, PREFETCH_*, RESUME, STALL_TERM (the brief's rule; §2.2 lists it
 *       only for CFGI_STE/CFGI_CD/CFGI_CD_ALL, §5.2 for CFGI_STE_RANGE). On the trapped path SSec = 1 is ILL
 *       on every one of them too: QEMU checks only the four CFGI commands (§5.2), the VMM is deliberately
 *       stricter (IHI0070: SSec = 1 on a Non-secure queue is illegal; vcmdq's {@code CommandActionTable}).</li>
 *   <li>Rules added when the oracle met the system (each with its IHI0070 citation in
 *       {@link dev.cmdq.bench.fuzz.CommandRuleTable}): TLBI_EL3_ALL/EL3_VA are ILL on every device queue,
 *       before the guest allow-list (§4.4.2.5-6; ignored on the trapped path, as QEMU); a range TLBI with
 *       TG = 16K, TTL = 1, NUM = SCALE = 0 is ILL (§4.4.1.1); ATC_INV Size above 52 is ILL (§4.5.1), a field
 *       rule tried before SID_MATCH; PREFETCH_ADDR dw1 11:5 (Stride, NS) is a field, not RES0.</li>
 *   <li>Trapped forwards meet the host's main CMDQ, which the kernel reaches with only opcode and SID
 *       checked (vcmdq-viommu.md §3.7): when the main CMDQ's non-strict field rules refuse the command,
 *       the host's GERROR handler skips it (smmuv3-cmdq.md §1.4-1.5), the guest sees success and nothing is
 *       executed: {@link dev.cmdq.bench.fuzz.FuzzOutcome#FORWARD_SKIPPED}.</li>
 *   <li>Reserved range TLBI: a TLBI with a TG field (NH_VA, NH_VAA, EL2_VA, EL2_VAA, EL3_VA, S2_IPA) with
 *       TG != 0 and NUM = SCALE = TTL = 0 is ILL on device queues (linux-unmap-sequences.md §3.2). The trapped
 *       path forwards it (QEMU checks no TLBI fields, §5.2); what the host's main CMDQ then does with it is
 *       that queue's verdict.</li>
 *   <li>Strict mode (a {@link dev.cmdq.bench.fuzz.FuzzContext} flag, off by default in the brief): any bit
 *       outside the opcode's fields, CMD_SYNC CS = 3, PRI_RESP RESP = 3 (kernel position dw1 13:12, §2.2,
 *       §7.1) are ILL on device queues. It never applies to the trapped path (QEMU checks no RES0 bits).</li>
 *   <li>Guest-owned VCMDQ (vcmdq-viommu.md §2): only TLBI_NH_ASID, TLBI_NH_VA, ATC_INV and CMD_SYNC with
 *       CS = NONE (§1.7); anything else known is ILL_ACCESS (§1.6, "meaning inferred"). The allow-list is
 *       tried before SSec, range and RES0 rules; the SID_MATCH lookup of ATC_INV last, after every field
 *       rule (fields are validated before the VINTF translates).</li>
 *   <li>Guest VCMDQ ATC_INV whose SID (dw0 63:32, all 32 bits) equals no owned vSID: ILL_ACCESS (§1.8 says
 *       undocumented, "ILL_ACCESS is plausible"). vSIDs are below 2^20 (SID_MATCH is 20 bits), so a SID
 *       with bits above 19 never matches. The VM's vDEVICEs and the VINTF's SID slots are the same set, of
 *       at most 16.</li>
 *   <li>Host-owned VCMDQ (HYP_OWN = 1): the main CMDQ's rules; CMD_SYNC with CS != NONE is accepted
 *       (vcmdq-viommu.md §1.7 says VCMDQs support only CS = NONE, but does not say the hardware faults
 *       other values; the brief says "every command").</li>
 *   <li>Trapped CMDQ, accelerated vSMMU (§5.2, §5.3, vcmdq-viommu.md §3.7): TLBI_NH_ALL/ASID/VA/VAA and
 *       TLBI_NSNH_ALL forward; ATC_INV, CFGI_CD, CFGI_CD_ALL forward when the vSID is owned, else the
 *       context's policy (every owned device is taken to have ATS enabled, §5.2 forwards ATC_INV only
 *       then): ILL (the host refuses, -EIO; the brief's rule, default) or IGNORE (QEMU sends
 *       SID-based commands only for devices with a vDEVICE); CFGI_STE re-installs the STE of an owned vSID
 *       and is ignored otherwise ("if a device with that SID exists"); CFGI_STE_RANGE re-installs when an
 *       owned vSID lies in the aligned range of 2^(Range+1) SIDs, else ignored; CMD_SYNC completes locally
 *       whatever its CS; PREFETCH_*, EL2/EL3 TLBIs, PRI_RESP, RESUME, STALL_TERM are ignored;
 *       TLBI_S12_VMALL and TLBI_S2_IPA are ILL (they need stage 2, the accelerated vSMMU is stage 1 only).</li>
 *   <li>CERROR_ABT and CERROR_ATC_INV_SYNC are never predicted: the fuzzer's rings never fault and no ATS
 *       invalidation times out.</li>
 * </ul>
 */
package dev.cmdq.bench.fuzz;
