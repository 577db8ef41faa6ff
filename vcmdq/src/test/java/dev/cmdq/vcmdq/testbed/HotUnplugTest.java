package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hot-unplug while both paths carry traffic, inline and threaded: a trapped VM and a VCMDQ VM share a
 * physical SMMU, each with two devices; a vCPU thread per VM keeps invalidating (TLBI_NH_ASID and ATC_INV
 * of the device that stays) while the main thread detaches the other device from both VMs. The traffic
 * never fails; afterwards a command naming the detached vSID fails cleanly — CERROR_ILL on the trapped
 * queue, a halted VCMDQ (unmatched SID) on the direct path — touching no cache entry, and everything else
 * (the other device, the other queue, the other VM) works on. Size: {@code cmdq.stress.ops} / 2000 unmaps
 * per vCPU thread (CI size 500).
 */
class HotUnplugTest
{
    private static final int UNMAPS = (int)Math.max(200, Long.getLong("cmdq.stress.ops", 1_000_000) / 2000);
    private static final long GONE = 0x8;
    private static final long STAYS = 0x9;

    @ParameterizedTest
    @EnumSource(EngineMode.class)
    void detachingUnderTrafficFailsOnlyLaterCommandsNamingTheDevice(final EngineMode mode) throws InterruptedException
    {
        try (Platform platform = Platform.builder().smmus(1).engineMode(mode).waitTimeoutNs(Bounds.WAIT_NS).build())
        {
            final Vm trapped = platform.createVm(VmConfig.of("trapped", GuestPath.TRAPPED_BATCHED, 2));
            final Vm direct = platform.createVm(VmConfig.of("direct", GuestPath.VCMDQ, 2));
            final Vm[] vms = {trapped, direct};
            final long[][] psid = {{0x100, 0x101}, {0x200, 0x201}};
            for (int v = 0; v < 2; v++)
            {
                vms[v].attach(GONE, platform.bindDevice(0, psid[v][0]));
                vms[v].attach(STAYS, platform.bindDevice(0, psid[v][1]));
            }

            final AtomicLong[] progress = {new AtomicLong(), new AtomicLong()};
            final int[] failures = new int[2];
            final AtomicBoolean detached = new AtomicBoolean();
            final Thread[] vcpus = new Thread[2];
            for (int v = 0; v < 2; v++)
            {
                final Vm vm = vms[v];
                final AtomicLong done = progress[v];
                final int index = v;
                vcpus[v] = new Thread(() ->
                {
                    final UnmapRequest request = new UnmapRequest().op(UnmapOp.TLB_INV_CONTEXT).asid(5).ats(true).sid(STAYS);
                    for (int i = 0; i < UNMAPS; i++)
                    {
                        failures[index] += vm.unmap(0, 1, request) == IssueStatus.OK ? 0 : 1;
                        done.lazySet(i + 1);
                    }
                }, vm.config().name() + "-vcpu1");
                vcpus[v].start();
            }
            // Detach once both VMs are well into their traffic; the VCMDQ VM's drain runs against it.
            platform.await(() -> progress[0].get() >= UNMAPS / 4 && progress[1].get() >= UNMAPS / 4, "traffic to start");
            trapped.detach(GONE);
            direct.detach(GONE);
            detached.set(true);
            for (final Thread vcpu : vcpus)
            {
                vcpu.join(30_000);
                assertFalse(vcpu.isAlive(), vcpu.getName() + " finished");
            }
            assertEquals(0, failures[0] + failures[1], "traffic failures (trapped, direct): " + failures[0] + ", " + failures[1]);
            assertTrue(detached.get());

            final CacheBook book = new CacheBook();
            for (int v = 0; v < 2; v++)
            {
                book.atc(0, psid[v][0], CacheBook.noSsid(), 0x4000, 12);
                book.atc(0, psid[v][1], CacheBook.noSsid(), 0x4000, 12);
            }
            book.insertInto(platform);
            final Commands commands = new Commands();
            for (int v = 0; v < 2; v++)
            {
                final Vm vm = vms[v];
                final int queue = vm.config().path().usesVcmdqs() ? 0 : Vm.EMULATED_CMDQ;
                assertEquals(1, vm.devices().size(), vm.config().name() + " keeps one device");
                commands.clear().put(Commands.atcInv(GONE, 0, false), Commands.atcInvSpan(0, 52));
                assertEquals(IssueStatus.OK, vm.issue(0, 0, commands.buffer, 0, commands.count, false));
                platform.await(() -> vm.hasCommandError(0, queue), vm.config().name() + ": the command naming the detached vSID to fail");
                final int expected = queue == Vm.EMULATED_CMDQ ? CommandError.ILL : platform.smmu(0).policy().unmatchedSidError();
                assertEquals(expected, vm.recover(0, queue), vm.config().name() + ": CONS.ERR");
                book.assertExactly(platform, vm.config().name() + ": the failed command touched nothing");
                final Vm other = vms[1 - v];
                assertFalse(other.hasCommandError(0, other.config().path().usesVcmdqs() ? 0 : Vm.EMULATED_CMDQ), "the other VM");
                if (queue != Vm.EMULATED_CMDQ)
                {
                    assertFalse(vm.hasCommandError(0, 1), "the VM's other VCMDQ");
                }
                // The device that stays still works (from vCPU 1: the other VCMDQ on the direct path).
                commands.clear().put(Commands.atcInv(STAYS, 0, false), Commands.atcInvSpan(0, 52));
                assertEquals(IssueStatus.OK, vm.issue(0, 1, commands.buffer, 0, commands.count, true));
                final long stays = psid[v][1];
                book.removeAtc(e -> e.sid() == stays);
                book.assertExactly(platform, vm.config().name() + ": ATC_INV of the remaining device");
            }
        }
    }
}
