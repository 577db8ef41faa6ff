package dev.cmdq.vcmdq.testbed;

import dev.cmdq.vcmdq.vmm.SteInstaller;

/**
 * The testbed's STE re-install: refuses, so a guest CFGI_STE / CFGI_STE_RANGE for an attached device ends
 * in CERROR_ILL on its emulated CMDQ. Why: re-installing needs the host's main-CMDQ handle
 * ({@code HostCmdqSteInstaller} takes the {@code HostCmdq}s), but {@code Iommufd.overHardware} opens
 * those itself and exposes neither them nor a nested-HWPT attach call; opening a second handle on the
 * same main CMDQ would corrupt its producer state. Until the host offers the call, the testbed says so
 * instead of pretending.
 */
final class UnmodelledSteInstaller implements SteInstaller
{
    static final UnmodelledSteInstaller INSTANCE = new UnmodelledSteInstaller();

    private UnmodelledSteInstaller()
    {
    }

    @Override
    public boolean reinstall(final int viommuId, final long vsid)
    {
        return false;
    }
}
