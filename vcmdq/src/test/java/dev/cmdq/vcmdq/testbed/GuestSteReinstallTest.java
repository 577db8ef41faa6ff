package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.issue.IssueStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A guest's CFGI_STE on the trapped path end to end: the VMM re-installs the STE through the host, the
 * host invalidates the physical StreamID on the right SMMU, and exactly that stream's STE and CDs leave
 * the model caches (IHI0070 §4.3.1: an STE invalidation also drops the stream's CDs) — another device's,
 * on the same and on the other SMMU, stay.
 */
class GuestSteReinstallTest
{
    @Test
    void aGuestCfgiSteRemovesExactlyThatStreamsConfigOnItsSmmu()
    {
        for (final GuestPath path : new GuestPath[]{GuestPath.TRAPPED_PER_COMMAND, GuestPath.TRAPPED_BATCHED})
        {
            try (Platform platform = Platform.builder().smmus(2).build())
            {
                final Vm vm = platform.createVm(VmConfig.of("vm0", path, 1));
                vm.attach(0x8, platform.bindDevice(0, 0x100));
                vm.attach(0x9, platform.bindDevice(0, 0x101));
                vm.attach(0xA, platform.bindDevice(1, 0x100));
                final CacheBook book = new CacheBook();
                book.ste(0, 0x100);
                book.cd(0, 0x100, 1);
                book.ste(0, 0x101);
                book.cd(0, 0x101, 1);
                book.ste(1, 0x100);
                book.cd(1, 0x100, 1);
                book.insertInto(platform);

                // CFGI_STE (0x03) for vSID 0x8 (dword 0 bits 63:32), LEAF=1 (dword 1 bit 0).
                final Commands commands = new Commands().put(Commands.CFGI_STE | (0x8L << 32), 1);
                assertEquals(IssueStatus.OK, vm.issueTrapped(0, commands.buffer, 0, commands.count, true), path.name());
                assertFalse(vm.hasCommandError(0, Vm.EMULATED_CMDQ), path.name());

                book.removeConfig(e -> e.smmu() == 0 && e.sid() == 0x100);
                book.assertExactly(platform, path + ": CFGI_STE of vSID 0x8 -> pSID 0x100 on SMMU 0");
            }
        }
    }
}
