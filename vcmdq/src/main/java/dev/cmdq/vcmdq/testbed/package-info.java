/**
 * The testbed: the one place that wires the four layers (hw, host, vmm, guest) into a runnable system,
 * for the end-to-end tests, the scenario runner, the fuzzer and the stress harness.
 *
 * <p><b>Owns:</b> {@link dev.cmdq.vcmdq.testbed.Platform} — the host machine: physical SMMUs (engines
 * {@link dev.cmdq.vcmdq.testbed.EngineMode#INLINE inline} or threaded), each SMMU's caches behind an
 * {@link dev.cmdq.vcmdq.testbed.ExecutionGate} (which also counts commands, syncs and the host's
 * signalled syncs), one host kernel ({@code Iommufd.overHardware}) with one iommufd context per VM,
 * host devices; {@link dev.cmdq.vcmdq.testbed.Vm} — a VM on it: RAM, path
 * ({@link dev.cmdq.vcmdq.testbed.GuestPath}: trapped per-command, trapped batched, VCMDQ), vSMMUs
 * ({@link dev.cmdq.vcmdq.testbed.VmSmmu}) with the guest driver over each, attach/detach (hot-plug),
 * unmap and raw issue per vCPU, counters ({@link dev.cmdq.vcmdq.testbed.VmCounters}), teardown.
 *
 * <pre>
 *   try (Platform platform = Platform.builder().smmus(2).engineMode(EngineMode.INLINE).build())
 *   {
 *       HostDevice nic = platform.bindDevice(0, 0x100);           // behind pSMMU 0, pSID 0x100
 *       Vm vm = platform.createVm(VmConfig.of("vm0", GuestPath.VCMDQ, 2));
 *       VmDevice d = vm.attach(0x8, nic);                         // vSID 0x8; d.vsmmu(): its vSMMU
 *       int vmid = vm.vmidOn(0);                                  // host-assigned VMID on pSMMU 0
 *       platform.withCaches(0, c -&gt; c.tlb().insert(TlbEntryKind.STAGE1, vmid, 5, va, 12, true));
 *       vm.unmap(d.vsmmu(), 1, request);                          // vCPU 1 (its VCMDQ), waits for syncs
 *       vm.issue(d.vsmmu(), 1, buffer, 0, n, true);               // raw commands on the same queue
 *       vm.issueTrapped(d.vsmmu(), buffer, 0, n, true);           // the vSMMU's emulated CMDQ
 *       if (vm.hasCommandError(d.vsmmu(), 1)) vm.recover(d.vsmmu(), 1);  // guest's skip_err + ack
 *       vm.counters(); platform.gate(0).signalledSyncs();         // exits, calls, ...; host syncs
 *       vm.detach(0x8); vm.close();                               // hot-unplug; teardown (§1.9)
 *   }
 * </pre>
 *
 * <p><b>Assumptions and choices:</b>
 * <ul>
 *   <li>Topology follows the path: trapped = one fanned-out vSMMU; VCMDQ = one vSMMU per physical
 *       SMMU, made when the VM's first device behind it attaches, with a TEGRA241_CMDQV vIOMMU
 *       (the VMM's own vIOMMU-type choice), {@link dev.cmdq.vcmdq.testbed.VmConfig#vcmdqs()} HW queues (QEMU: 2)
 *       and a vEVENTQ. Every vSMMU also has its emulated CMDQ (trapped), as a real guest does.</li>
 *   <li>All VMs share one host kernel ({@code Iommufd}): VMID spaces, VINTFs, SID table and each main
 *       CMDQ's one producer handle are host-wide. Each VM's VMM opens its own context on it
 *       ({@code IommufdFile}, {@link dev.cmdq.vcmdq.testbed.Vm#iommufd()}): its own object-ID namespace
 *       (another VM's IDs are ENOENT) and its own guest-memory mapping, the VM's RAM, mapped once at
 *       creation. Host devices are bound platform-wide ({@code Platform.bindDevice}), so any VM may
 *       attach any free one.</li>
 *   <li>Threads: set-up and tear-down serialise on the platform; traffic takes no testbed lock. Inline,
 *       whichever thread waits (guest CONS poll, host CMD_SYNC inside a trap, drain, enable) runs one engine
 *       duty cycle of every SMMU per idle, backing off only when that did no work
 *       ({@link dev.cmdq.vcmdq.testbed.EngineDrivingIdleStrategy}); threaded, each engine has its own
 *       thread and waits back off.</li>
 *   <li>Caches are single-writer (the engine); another thread touches them only through the SMMU's
 *       {@link dev.cmdq.vcmdq.testbed.ExecutionGate}, which serialises it with command execution.</li>
 *   <li>A guest CFGI_STE re-installs the STE through the host ({@code IommufdBackend.reinstallSte}: the
 *       host's CFGI_STE + sync for the physical StreamID); the STE's contents are not modelled.</li>
 * </ul>
 *
 * <p>May use every layer; nothing in hw, host, vmm or guest may use it ({@code LayeringTest}).
 */
package dev.cmdq.vcmdq.testbed;
