package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.host.Errno;
import dev.cmdq.vcmdq.host.HostDevice;
import dev.cmdq.vcmdq.host.IommufdException;
import dev.cmdq.vcmdq.hw.CmdqvLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wiring of a {@link Vm}: a VM with a device behind each of two physical SMMUs, on every path and in
 * both engine modes; raw guest commands arrive at the right SMMU's execution with the host's VMID and the
 * physical SID, and teardown returns every host resource.
 */
class VmTest
{
    private static final long PSID0 = 0x100;
    private static final long PSID1 = 0x200;
    private static final long VSID0 = 0x8;
    private static final long VSID1 = 0x9;

    static Stream<Arguments> pathsAndModes()
    {
        return Stream.of(GuestPath.values()).flatMap(p -> Stream.of(EngineMode.values()).map(m -> Arguments.of(p, m)));
    }

    private static Platform platform(final CommandLog[] logs, final EngineMode mode)
    {
        logs[0] = new CommandLog();
        logs[1] = new CommandLog();
        return Platform.builder().smmus(2).engineMode(mode).waitTimeoutNs(Bounds.WAIT_NS).execution(i -> logs[i]).build();
    }

    @ParameterizedTest
    @MethodSource("pathsAndModes")
    void guestCommandsReachTheOwningSmmuWithHostVmidAndPhysicalSid(final GuestPath path, final EngineMode mode)
    {
        final CommandLog[] logs = new CommandLog[2];
        try (Platform platform = platform(logs, mode))
        {
            final HostDevice d0 = platform.bindDevice(0, PSID0);
            final HostDevice d1 = platform.bindDevice(1, PSID1);
            final Vm vm = platform.createVm(VmConfig.of("vm0", path, 2));
            final VmDevice a0 = vm.attach(VSID0, d0);
            final VmDevice a1 = vm.attach(VSID1, d1);
            assertEquals(path.usesVcmdqs() ? 2 : 1, vm.smmuCount());
            final int vmid0 = vm.vmidOn(0);
            final int vmid1 = vm.vmidOn(1);

            final Commands commands = new Commands();
            // Forged VMID 0x77: the host (trapped) or the VINTF (VCMDQ) puts the VM's own VMID in.
            commands.put(Commands.atcInv(VSID0, 0, false), Commands.atcInvSpan(0, 52)).put(Commands.nhAsid(0x77, 5), 0);
            assertEquals(IssueStatus.OK, vm.issue(a0.vsmmu(), 1, commands.buffer, 0, commands.count, true));

            final long atc0 = Commands.atcInv(PSID0, 0, false);
            final long asid0 = Commands.nhAsid(vmid0, 5);
            final long asid1 = Commands.nhAsid(vmid1, 5);
            platform.gate(0).access(() ->
            {
                assertTrue(logs[0].find(0, atc0, Commands.atcInvSpan(0, 52)) >= 0, "ATC_INV with pSID 0x100 on smmu 0");
                assertTrue(logs[0].find(0, asid0, 0) >= 0, "TLBI_NH_ASID with the VM's VMID on smmu 0");
                assertEquals(1, logs[0].countOpcode(0, Commands.ATC_INV));
            });
            platform.gate(1).access(() ->
            {
                assertEquals(0, logs[1].countOpcode(0, Commands.ATC_INV), "no ATC_INV on smmu 1");
                // Fanned out, the ASID-wide command is broadcast to every vIOMMU; per physical SMMU it is not.
                assertEquals(!path.usesVcmdqs(), logs[1].find(0, asid1, 0) >= 0, "TLBI_NH_ASID with the VM's VMID on smmu 1");
                assertEquals(path.usesVcmdqs() ? 0 : 1, logs[1].countOpcode(0, Commands.TLBI_NH_ASID));
            });
            assertNotEquals(a0.vdeviceId(), a1.vdeviceId());
            assertTrue(platform.gate(0).syncs() > 0, "the sync reached smmu 0");
        }
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void closeReturnsEveryHostResourceSoANewVmGetsThem(final EngineMode mode)
    {
        final CommandLog[] logs = new CommandLog[2];
        try (Platform platform = platform(logs, mode))
        {
            final HostDevice d0 = platform.bindDevice(0, PSID0);
            final Vm vm = platform.createVm(VmConfig.of("vm0", GuestPath.VCMDQ, 2));
            vm.attach(VSID0, d0);
            final int vintf1 = platform.smmu(0).cmdqv().globalIndex(1, 0);
            assertTrue((platform.smmu(0).cmdqv().cmdqAlloc(vintf1) & CmdqvLayout.ALLOCATED) != 0, "VINTF 1's LVCMDQ 0 mapped");
            vm.close();
            assertTrue(vm.isClosed());
            assertEquals(0, platform.smmu(0).cmdqv().cmdqAlloc(vintf1) & CmdqvLayout.ALLOCATED, "unmapped at teardown");
            assertEquals(0, platform.vms().size());
            // The device is free again, VINTF 1 too: a second VM gets both.
            final Vm again = platform.createVm(VmConfig.of("vm1", GuestPath.VCMDQ, 1));
            again.attach(VSID0, d0);
            assertTrue((platform.smmu(0).cmdqv().cmdqAlloc(vintf1) & CmdqvLayout.ALLOCATED) != 0, "VINTF 1 reused");
        }
    }

    @Test
    void misuseIsRefusedByName()
    {
        final CommandLog[] logs = new CommandLog[2];
        try (Platform platform = platform(logs, EngineMode.INLINE))
        {
            final HostDevice d0 = platform.bindDevice(0, PSID0);
            final Vm vm = platform.createVm(VmConfig.of("vm0", GuestPath.TRAPPED_PER_COMMAND, 1));
            vm.attach(VSID0, d0);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> vm.attach(VSID0, d0)).getMessage().contains("vsid=0x8"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> vm.detach(0x55)).getMessage().contains("vsid=0x55"));
            assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> vm.smmu(3)).getMessage().contains("vsmmu=3"));
            assertTrue(assertThrows(IllegalStateException.class, () -> vm.readVevent(0, new Commands().buffer, 0))
                .getMessage().contains("no vEVENTQ"));
        }
    }

    @Test
    void aFourthVcmdqVmOnAnSmmuIsRefusedCleanlyAndGetsTheVintfOnceOneIsFree()
    {
        final CommandLog[] logs = new CommandLog[2];
        try (Platform platform = platform(logs, EngineMode.INLINE))
        {
            // 4 VINTFs per SMMU by default, VINTF0 the host's: three guest VINTFs.
            final Vm[] vms = new Vm[3];
            for (int v = 0; v < 3; v++)
            {
                vms[v] = platform.createVm(VmConfig.of("vm" + v, GuestPath.VCMDQ, 1));
                vms[v].attach(VSID0, platform.bindDevice(0, PSID0 + v));
            }
            final Vm fourth = platform.createVm(VmConfig.of("vm3", GuestPath.VCMDQ, 1));
            final HostDevice device = platform.bindDevice(0, PSID0 + 3);
            final dev.cmdq.vcmdq.host.IommufdException refused =
                assertThrows(dev.cmdq.vcmdq.host.IommufdException.class, () -> fourth.attach(VSID0, device));
            assertEquals(dev.cmdq.vcmdq.host.Errno.ENOSPC, refused.errno());
            assertTrue(refused.getMessage().contains("no free VINTF"), refused.getMessage());
            assertEquals(0, fourth.smmuCount(), "nothing half-made is left in the VM");
            assertEquals(0, fourth.devices().size());
            vms[1].close();
            final VmDevice attached = fourth.attach(VSID0, device);
            final Commands commands = new Commands().put(Commands.atcInv(VSID0, 0, false), Commands.atcInvSpan(0, 52));
            assertEquals(IssueStatus.OK, fourth.issue(attached.vsmmu(), 0, commands.buffer, 0, commands.count, true));
            final long atc = Commands.atcInv(PSID0 + 3, 0, false);
            platform.gate(0).access(() -> assertTrue(logs[0].find(0, atc, Commands.atcInvSpan(0, 52)) >= 0,
                "the fourth VM's VCMDQ works with its own pSID"));
        }
    }

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void aVmWithAHaltedVcmdqStillTearsDownAndFreesItsVintf(final EngineMode mode)
    {
        final CommandLog[] logs = new CommandLog[2];
        try (Platform platform = platform(logs, mode))
        {
            final HostDevice d0 = platform.bindDevice(0, PSID0);
            final Vm vm = platform.createVm(VmConfig.of("vm0", GuestPath.VCMDQ, 1));
            vm.attach(VSID0, d0);
            final Commands forbidden = new Commands().put(Commands.TLBI_S12_VMALL, 0);
            assertEquals(IssueStatus.OK, vm.issue(0, 0, forbidden.buffer, 0, forbidden.count, false));
            platform.await(() -> vm.hasCommandError(0, 0), "the VCMDQ to halt");
            vm.close();
            final int q = platform.smmu(0).cmdqv().globalIndex(1, 0);
            assertEquals(0, platform.smmu(0).cmdqv().cmdqAlloc(q) & CmdqvLayout.ALLOCATED, "the halted queue was unmapped");
            final Vm next = platform.createVm(VmConfig.of("vm1", GuestPath.VCMDQ, 1));
            next.attach(VSID0, d0);
            assertFalse(next.hasCommandError(0, 0), "the next VM's queue starts clean");
        }
    }

    @Test
    void inlineRunsAreDeterministic()
    {
        final long[][] first = inlineRun();
        final long[][] second = inlineRun();
        assertTrue(first[0].length > 10, "the run executed commands");
        org.junit.jupiter.api.Assertions.assertArrayEquals(first[0], second[0], "dword 0 of every command, in order");
        org.junit.jupiter.api.Assertions.assertArrayEquals(first[1], second[1], "dword 1");
        org.junit.jupiter.api.Assertions.assertArrayEquals(first[2], second[2], "duty cycles per SMMU");
    }

    /** One VM per path on one inline platform, a fixed mix of unmaps; what reached SMMU 0, and the duty cycles. */
    private static long[][] inlineRun()
    {
        final CommandLog[] logs = new CommandLog[2];
        try (Platform platform = platform(logs, EngineMode.INLINE))
        {
            final dev.cmdq.vcmdq.guest.UnmapRequest range = new dev.cmdq.vcmdq.guest.UnmapRequest()
                .op(dev.cmdq.vcmdq.guest.UnmapOp.TLB_INV_RANGE_DOMAIN).iova(0x10000).size(0x5000).granule(0x1000)
                .pageSize(0x1000).leaf(true).asid(3).ats(true).sid(VSID0);
            long v = 0;
            for (final GuestPath path : GuestPath.values())
            {
                final Vm vm = platform.createVm(VmConfig.of("vm-" + path, path, 2));
                vm.attach(VSID0, platform.bindDevice(0, PSID0 + v++));
                for (int i = 0; i < 10; i++)
                {
                    assertEquals(IssueStatus.OK, vm.unmap(vm.smmuOf(VSID0), i & 1, range));
                }
            }
            return platform.gate(0).query(() ->
            {
                final long[] dw1 = java.util.Arrays.copyOf(logs[0].dw1, logs[0].count);
                for (int i = 0; i < dw1.length; i++)
                {
                    if ((logs[0].dw0[i] & 0xFF) == Commands.CMD_SYNC)
                    {
                        // A host sync's MSIAddr is the native address of its slot: not part of the sequence.
                        dw1[i] = 0;
                    }
                }
                return new long[][] {java.util.Arrays.copyOf(logs[0].dw0, logs[0].count), dw1,
                    {platform.smmu(0).engine().dutyCycles(), platform.smmu(1).engine().dutyCycles()}};
            });
        }
    }
    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void eachVmHasItsOwnIommufdContextAndCannotNameAnotherVmsObjects(final EngineMode mode)
    {
        final CommandLog[] logs = new CommandLog[2];
        try (Platform platform = platform(logs, mode))
        {
            final Vm a = platform.createVm(VmConfig.of("vmA", GuestPath.VCMDQ, 2));
            final Vm b = platform.createVm(VmConfig.of("vmB", GuestPath.VCMDQ, 2));
            final VmDevice da = a.attach(VSID0, platform.bindDevice(0, PSID0));
            b.attach(VSID0, platform.bindDevice(0, PSID1));
            final int hwQueue = a.smmu(da.vsmmu()).hwQueueId(0);
            final int veventq = a.smmu(da.vsmmu()).veventqId();
            for (final int id : new int[] {hwQueue, veventq, da.vdeviceId(), da.viommuId()})
            {
                final IommufdException e = assertThrows(IommufdException.class, () -> b.iommufd().destroy(id));
                assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
                assertTrue(e.getMessage().contains("id=" + id), e.getMessage());
                assertTrue(a.iommufd().owns(id), "still A's: " + id);
            }
            assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, () -> b.iommufd().hwQueueStatus(hwQueue)).errno());

            final dev.cmdq.vcmdq.guest.UnmapRequest atc = new dev.cmdq.vcmdq.guest.UnmapRequest()
                .op(dev.cmdq.vcmdq.guest.UnmapOp.ATC_INV).iova(0).size(0x1000).ssid(0).sid(VSID0);
            final int before = platform.gate(0).query(() -> logs[0].countOpcode(0, Commands.ATC_INV));
            assertEquals(IssueStatus.OK, a.unmap(da.vsmmu(), 0, atc), "A's queues still run");
            assertEquals(before + 1, (int)platform.gate(0).query(() -> logs[0].countOpcode(0, Commands.ATC_INV)), "A's ATC_INV executed");

            a.close();
            for (final int id : new int[] {hwQueue, veventq, da.vdeviceId(), da.viommuId()})
            {
                assertFalse(a.iommufd().owns(id));
            }
            assertEquals(Errno.ENOENT, assertThrows(IommufdException.class, () -> platform.iommufd().viommu(da.viommuId())).errno(),
                "A's vIOMMU is gone from the host");
            assertEquals(Errno.EBADF, assertThrows(IommufdException.class, () -> a.iommufd().allocNestParent(da.device().devId())).errno());
            assertEquals(IssueStatus.OK, b.unmap(b.smmuOf(VSID0), 0, atc), "B unaffected");
            assertEquals(before + 2, (int)platform.gate(0).query(() -> logs[0].countOpcode(0, Commands.ATC_INV)), "B's ATC_INV executed");
        }
    }
}
