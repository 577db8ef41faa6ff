package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.issue.IssueStatus;
import dev.cmdq.vcmdq.guest.UnmapOp;
import dev.cmdq.vcmdq.guest.UnmapRequest;
import dev.cmdq.vcmdq.host.HostDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Hot-unplug and re-plug of one vSID end to end, on every path (trapped batched and per command, VCMDQ)
 * and in both engine modes: a VM with devices 0x8 (pSID 0x100) and 0x9 (pSID 0x101) behind one physical
 * SMMU invalidates 0x8's ATC; after 0x8 is detached, an ATC entry planted for pSID 0x100 survives an
 * ATC_INV naming 0x8, which fails cleanly (CERROR_ILL on the emulated CMDQ; on a VCMDQ the cleared SID
 * slot matches nothing, CERROR_ILL_ACCESS under the platform's default hardware policy, §1.8); 0x8 is
 * attached again, first to the same device, then to another one (pSID 0x102), and each time its
 * ATC_INV removes exactly the current device's entry again. Expected cache contents come from the
 * test's own {@link CacheBook} (the ATC_INV scope of IHI0070 §4.5: physical SID, SSID, address range).
 */
class ReattachTest
{
    private static final long VSID = 0x8;
    private static final long OTHER_VSID = 0x9;
    private static final long PSID = 0x100;
    private static final long OTHER_PSID = 0x101;
    private static final long NEW_PSID = 0x102;
    private static final long PAGE = 0x4000;

    static Stream<Arguments> pathsAndModes()
    {
        return Stream.of(GuestPath.values()).flatMap(p -> Stream.of(EngineMode.values()).map(m -> Arguments.of(p, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathsAndModes")
    void aDetachedVsidTouchesNoCacheEntryAndInvalidatesAgainOnceReattached(final GuestPath path, final EngineMode mode)
    {
        try (Platform platform = Platform.builder().smmus(1).engineMode(mode).waitTimeoutNs(Bounds.WAIT_NS).build())
        {
            final Vm vm = platform.createVm(VmConfig.of("vm", path, 2));
            final int queue = path.usesVcmdqs() ? 0 : Vm.EMULATED_CMDQ;
            final HostDevice device = platform.bindDevice(0, PSID);
            vm.attach(VSID, device);
            vm.attach(OTHER_VSID, platform.bindDevice(0, OTHER_PSID));
            final CacheBook book = new CacheBook();
            book.atc(0, PSID, CacheBook.noSsid(), PAGE, 12);
            book.atc(0, OTHER_PSID, CacheBook.noSsid(), PAGE, 12);
            book.insertInto(platform);
            final UnmapRequest atcInv = new UnmapRequest().op(UnmapOp.ATC_INV).sid(VSID).iova(PAGE).size(0x1000);

            // Attached: the ATC_INV removes exactly pSID 0x100's entry (positive control).
            assertEquals(IssueStatus.OK, vm.unmap(0, 0, atcInv));
            book.removeAtc(e -> e.sid() == PSID);
            book.assertExactly(platform, path + ": ATC_INV while attached");

            // Detached: an entry planted for the old pSID afterwards survives a command naming the old vSID.
            vm.detach(VSID);
            final CacheBook planted = new CacheBook();
            planted.atc(0, PSID, CacheBook.noSsid(), PAGE, 12);
            planted.insertInto(platform);
            book.atc(0, PSID, CacheBook.noSsid(), PAGE, 12);
            final Commands commands = new Commands().put(Commands.atcInv(VSID, 0, false), Commands.atcInvSpan(0, 52));
            assertEquals(IssueStatus.OK, vm.issue(0, 0, commands.buffer, 0, commands.count, false));
            platform.await(() -> vm.hasCommandError(0, queue), path + ": the ATC_INV naming the detached vSID to fail");
            assertEquals(path.usesVcmdqs() ? CommandError.ILL_ACCESS : CommandError.ILL, vm.recover(0, queue), path + ": CONS.ERR");
            book.assertExactly(platform, path + ": ATC_INV naming the detached vSID");

            // Re-attached to the same device: invalidation works again, on the recovered queue.
            vm.attach(VSID, device);
            assertEquals(IssueStatus.OK, vm.unmap(0, 0, atcInv));
            book.removeAtc(e -> e.sid() == PSID);
            book.assertExactly(platform, path + ": ATC_INV after re-attaching the same device");

            // Re-attached to another device: the vSID now names pSID 0x102 only.
            vm.detach(VSID);
            vm.attach(VSID, platform.bindDevice(0, NEW_PSID));
            final CacheBook fresh = new CacheBook();
            fresh.atc(0, PSID, CacheBook.noSsid(), PAGE, 12);
            fresh.atc(0, NEW_PSID, CacheBook.noSsid(), PAGE, 12);
            fresh.insertInto(platform);
            book.atc(0, PSID, CacheBook.noSsid(), PAGE, 12);
            book.atc(0, NEW_PSID, CacheBook.noSsid(), PAGE, 12);
            assertEquals(IssueStatus.OK, vm.unmap(0, 0, atcInv));
            book.removeAtc(e -> e.sid() == NEW_PSID);
            book.assertExactly(platform, path + ": ATC_INV after attaching another device under the vSID");
            assertFalse(vm.hasCommandError(0, queue));
            assertEquals(2, vm.devices().size());
        }
    }
}
