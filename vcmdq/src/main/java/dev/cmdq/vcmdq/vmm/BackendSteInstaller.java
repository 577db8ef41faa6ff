package dev.cmdq.vcmdq.vmm;

import dev.cmdq.vcmdq.host.IommufdBackend;

import java.util.Objects;

/**
 * {@link SteInstaller} over the host's iommufd: one {@link IommufdBackend#reinstallSte} call — the
 * model of QEMU's nested-HWPT allocation from the guest's new STE and its replacing attach — upon which
 * the host writes the physical STE and issues CFGI_STE + CMD_SYNC for the device's physical StreamID on
 * its SMMU's main CMDQ. The VMM never sees the physical StreamID or the host's queues.
 */
public final class BackendSteInstaller implements SteInstaller
{
    private final IommufdBackend backend;

    /**
     * @param backend the host's iommufd.
     */
    public BackendSteInstaller(final IommufdBackend backend)
    {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean reinstall(final int viommuId, final long vsid)
    {
        return backend.reinstallSte(viommuId, vsid) == 0;
    }
}
