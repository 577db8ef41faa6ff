package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.CompletionWait;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.host.HostCmdqStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trapped path's cost accounting through the whole system, and every host configuration: upstream
 * QEMU's per-command forwarding makes one IOMMU_HWPT_INVALIDATE, so one host CMD_SYNC, per forwarded
 * command and target vIOMMU (vcmdq-viommu.md §5.1: an ASID-wide command on a fanned-out vSMMU goes to
 * every vIOMMU); batching makes no more. Every host strategy and completion wait carries the traffic.
 */
class TrappedForwardingTest
{
    static Stream<Arguments> hostConfigurations()
    {
        return Stream.of(HostCmdqStrategy.values()).flatMap(s -> Stream.of(CompletionWait.values()).map(w -> Arguments.of(s, w)));
    }

    @ParameterizedTest
    @EnumSource(value = GuestPath.class, names = {"TRAPPED_PER_COMMAND", "TRAPPED_BATCHED"})
    void perCommandForwardingSyncsTheHostOncePerCommandAndViommu(final GuestPath path)
    {
        final CommandLog[] logs = {new CommandLog(), new CommandLog()};
        try (Platform platform = Platform.builder().smmus(2).execution(i -> logs[i]).build())
        {
            final Vm vm = platform.createVm(VmConfig.of("vm0", path, 1));
            vm.attach(0x8, platform.bindDevice(0, 0x100));
            vm.attach(0x9, platform.bindDevice(1, 0x200));
            final long syncs = hostSyncs(platform);
            final long calls = vm.counters().invalidateCalls();
            // Fanned out: TLBI_NH_ASID to both vIOMMUs (2 calls), each ATC_INV to its device's one (1 + 1).
            final Commands commands = new Commands()
                .put(Commands.nhAsid(0, 5), 0)
                .put(Commands.atcInv(0x8, 0, false), Commands.atcInvSpan(0, 52))
                .put(Commands.atcInv(0x9, 0, false), Commands.atcInvSpan(0, 52));
            assertEquals(IssueStatus.OK, vm.issueTrapped(vm.smmuOf(0x8), commands.buffer, 0, commands.count, true));
            final long madeSyncs = hostSyncs(platform) - syncs;
            final long madeCalls = vm.counters().invalidateCalls() - calls;
            if (path == GuestPath.TRAPPED_PER_COMMAND)
            {
                assertEquals(4, madeCalls, "IOMMU_HWPT_INVALIDATE calls");
                assertEquals(4, madeSyncs, "host CMD_SYNCs, one per call");
            }
            else
            {
                // At least one call per target vIOMMU (2), at most one per command and target.
                assertTrue(madeCalls >= 2 && madeCalls <= 4, "batched calls: " + madeCalls);
                assertEquals(madeCalls, madeSyncs, "one host sync per call of fewer than 63 commands");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("hostConfigurations")
    void everyHostStrategyAndCompletionWaitCarriesTrappedTraffic(final HostCmdqStrategy strategy, final CompletionWait wait)
    {
        final CommandLog[] logs = {new CommandLog()};
        try (Platform platform = Platform.builder().smmus(1).hostStrategy(strategy).completionWait(wait)
            .execution(i -> logs[i]).build())
        {
            final Vm vm = platform.createVm(VmConfig.of("vm0", GuestPath.TRAPPED_PER_COMMAND, 1));
            vm.attach(0x8, platform.bindDevice(0, 0x100));
            final Commands commands = new Commands().put(Commands.atcInv(0x8, 0, false), Commands.atcInvSpan(0, 52));
            for (int i = 0; i < 100; i++)
            {
                assertEquals(IssueStatus.OK, vm.issueTrapped(0, commands.buffer, 0, commands.count, true));
            }
            final long atc = Commands.atcInv(0x100, 0, false);
            platform.gate(0).access(() -> assertEquals(100, logs[0].countOpcode(0, Commands.ATC_INV)));
            assertTrue(logs[0].find(0, atc, Commands.atcInvSpan(0, 52)) >= 0);
            assertEquals(100, platform.gate(0).signalledSyncs(), strategy + "/" + wait + ": one host sync per forwarded command");
        }
    }

    private static long hostSyncs(final Platform platform)
    {
        return platform.gate(0).signalledSyncs() + platform.gate(1).signalledSyncs();
    }
}
