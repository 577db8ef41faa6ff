package dev.cmdq.vcmdq.testbed;

import dev.cmdq.queue.CommandError;
import dev.cmdq.queue.issue.IssueStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented gap, pinned so nobody mistakes it for support: a guest CFGI_STE for an attached device
 * ends in CERROR_ILL on the emulated CMDQ and changes no cache entry; the guest repairs and goes on.
 */
class UnmodelledSteInstallerTest
{
    @Test
    void refusesEveryReinstall()
    {
        assertFalse(UnmodelledSteInstaller.INSTANCE.reinstall(1, 0x8));
    }

    @Test
    void aGuestCfgiSteIsIllegalAndTouchesNothing()
    {
        try (Platform platform = Platform.builder().smmus(1).build())
        {
            final Vm vm = platform.createVm(VmConfig.of("vm0", GuestPath.TRAPPED_PER_COMMAND, 1));
            vm.attach(0x8, platform.bindDevice(0, 0x100));
            final CacheBook book = new CacheBook();
            book.ste(0, 0x100);
            book.cd(0, 0x100, 1);
            book.insertInto(platform);
            final Commands commands = new Commands().put(Commands.CFGI_STE | (0x8L << 32), 1);
            assertEquals(IssueStatus.OK, vm.issueTrapped(0, commands.buffer, 0, commands.count, false));
            assertTrue(vm.hasCommandError(0, Vm.EMULATED_CMDQ));
            assertEquals(CommandError.ILL, vm.recover(0, Vm.EMULATED_CMDQ));
            book.assertExactly(platform, "CFGI_STE refused");
            assertEquals(IssueStatus.OK, vm.issueTrapped(0, commands.buffer, 0, 0, true), "the queue goes on");
        }
    }
}
