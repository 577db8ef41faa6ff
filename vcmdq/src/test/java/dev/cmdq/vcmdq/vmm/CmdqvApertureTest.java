package dev.cmdq.vcmdq.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The aperture's offsets against a table typed from vcmdq-viommu.md §1.2, §1.3, §1.5, §1.6 and QEMU's
 * 0x50000-byte layout, and the ring size QEMU derives from BASE.
 */
class CmdqvApertureTest
{
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "CONFIG, 0x000", "PARAM, 0x004", "STATUS, 0x008", "VI_ERR_MAP, 0x014", "VI_INT_MASK, 0x01C",
        "CMDQ_ERR_MAP, 0x024", "CMDQ_ALLOC_MAP, 0x200", "VINTF0_CONFIG, 0x1000", "VINTF0_STATUS, 0x1004",
        "VINTF0_SID_MATCH, 0x1040", "VINTF0_SID_REPLACE, 0x1080", "VINTF0_LVCMDQ_ERR_MAP, 0x10C0",
        "VCMDQ_PAGE0, 0x10000", "VCMDQ_PAGE1, 0x20000", "VINTF0_PAGE0, 0x30000", "VINTF0_PAGE1, 0x40000",
        "LENGTH, 0x50000", "VCMDQ_STRIDE, 0x80", "CONS, 0x00", "PROD, 0x04", "VCMDQ_CONFIG, 0x08", "VCMDQ_STATUS, 0x0C",
        "GERROR, 0x10", "GERRORN, 0x14", "BASE_L, 0x00", "BASE_H, 0x04", "CONS_INDX_BASE_L, 0x08", "CONS_INDX_BASE_H, 0x0C"})
    void offsetsAreTheHardwares(final String name, final String hex) throws ReflectiveOperationException
    {
        assertEquals(Integer.decode(hex), CmdqvAperture.class.getField(name).getInt(null), name);
    }

    @Test
    void qemusParamAndFields()
    {
        assertEquals(0x4011, CmdqvAperture.PARAM_VALUE, "VER 1, 2 VCMDQs, 1 VINTF, 16 SID slots");
        assertEquals(0x20000, CmdqvAperture.HYP_OWN);
        assertEquals(4, CmdqvAperture.CMDQ_INIT_ERR);
        assertEquals(2, CmdqvAperture.LVCMDQS);
        assertEquals(16, CmdqvAperture.SID_SLOTS);
    }

    @ParameterizedTest
    @CsvSource({"0x80020005, 512", "0x80020000, 16", "0x8002000C, 65536", "0x8002001F, 34359738368"})
    void ringBytesAreOneShiftedByLog2SizePlusFour(final String base, final long bytes)
    {
        assertEquals(bytes, CmdqvAperture.ringBytes(Long.decode(base)));
    }
}
