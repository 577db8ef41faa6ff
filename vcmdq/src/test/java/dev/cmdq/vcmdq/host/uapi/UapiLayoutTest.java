package dev.cmdq.vcmdq.host.uapi;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every uAPI flyweight against the layout tables of vcmdq-viommu.md §3, typed in here as data (name,
 * offset, width): the declared size matches; the fields tile the struct with no gap or overlap; each
 * setter writes exactly its bytes, little-endian (checked through a separate ByteBuffer view), and
 * leaves every other byte alone; each getter reads them back.
 */
class UapiLayoutTest
{
    record Field(String accessor, int offset, int width)
    {
    }

    record Layout(String name, Supplier<UapiStruct> flyweight, int size, List<Field> fields)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    private static Field f(final String accessor, final int offset, final int width)
    {
        return new Field(accessor, offset, width);
    }

    static List<Layout> layouts()
    {
        return List.of(
            new Layout("iommu_destroy", IommuDestroy::new, 8, List.of(f("sizeField", 0, 4), f("id", 4, 4))),
            new Layout("iommu_hwpt_alloc", IommuHwptAlloc::new, 48, List.of(
                f("sizeField", 0, 4), f("flags", 4, 4), f("devId", 8, 4), f("ptId", 12, 4), f("outHwptId", 16, 4),
                f("reserved", 20, 4), f("dataType", 24, 4), f("dataLen", 28, 4), f("dataUptr", 32, 8),
                f("faultId", 40, 4), f("reserved2", 44, 4))),
            new Layout("iommu_viommu_alloc", IommuViommuAlloc::new, 40, List.of(
                f("sizeField", 0, 4), f("flags", 4, 4), f("type", 8, 4), f("devId", 12, 4), f("hwptId", 16, 4),
                f("outViommuId", 20, 4), f("dataLen", 24, 4), f("reserved", 28, 4), f("dataUptr", 32, 8))),
            new Layout("iommu_viommu_tegra241_cmdqv", ViommuTegra241Cmdqv::new, 16, List.of(
                f("outVintfMmapOffset", 0, 8), f("outVintfMmapLength", 8, 8))),
            new Layout("iommu_vdevice_alloc", IommuVdeviceAlloc::new, 24, List.of(
                f("sizeField", 0, 4), f("viommuId", 4, 4), f("devId", 8, 4), f("outVdeviceId", 12, 4), f("virtId", 16, 8))),
            new Layout("iommu_hw_queue_alloc", IommuHwQueueAlloc::new, 40, List.of(
                f("sizeField", 0, 4), f("flags", 4, 4), f("viommuId", 8, 4), f("type", 12, 4), f("index", 16, 4),
                f("outHwQueueId", 20, 4), f("nestingParentIova", 24, 8), f("length", 32, 8))),
            new Layout("iommu_hwpt_invalidate", IommuHwptInvalidate::new, 32, List.of(
                f("sizeField", 0, 4), f("hwptId", 4, 4), f("dataUptr", 8, 8), f("dataType", 16, 4),
                f("entryLen", 20, 4), f("entryNum", 24, 4), f("reserved", 28, 4))),
            new Layout("iommu_viommu_arm_smmuv3_invalidate", ViommuArmSmmuv3Invalidate::new, 16, List.of(
                f("cmd0", 0, 8), f("cmd1", 8, 8))),
            new Layout("iommu_veventq_alloc", IommuVeventqAlloc::new, 32, List.of(
                f("sizeField", 0, 4), f("flags", 4, 4), f("viommuId", 8, 4), f("type", 12, 4), f("veventqDepth", 16, 4),
                f("outVeventqId", 20, 4), f("outVeventqFd", 24, 4), f("reserved", 28, 4))),
            new Layout("iommufd_vevent_header", VeventHeader::new, 8, List.of(f("flags", 0, 4), f("sequence", 4, 4))),
            new Layout("tegra241 vevent payload", VeventTegra241Cmdqv::new, 16, List.of(
                f("lvcmdqErrMap0", 0, 8), f("lvcmdqErrMap1", 8, 8))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void matchesTheDocumentedLayoutByteForByte(final Layout layout) throws Exception
    {
        final UapiStruct struct = layout.flyweight().get();
        assertEquals(layout.size(), struct.size(), "size");
        int next = 0;
        for (final Field field : layout.fields())
        {
            assertEquals(next, field.offset(), layout.name() + ": gap or overlap before " + field.accessor());
            next += field.width();
        }
        assertEquals(layout.size(), next, "fields cover the struct");

        final int base = 8;
        final ByteBuffer raw = ByteBuffer.allocateDirect(layout.size() + 16).order(ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer buffer = new UnsafeBuffer(raw);
        struct.wrap(buffer, base);
        for (final Field field : layout.fields())
        {
            for (int i = 0; i < raw.capacity(); i++)
            {
                raw.put(i, (byte)0xA5);
            }
            final Class<?> type = field.width() == 8 ? long.class : int.class;
            final Method setter = struct.getClass().getMethod(field.accessor(), type);
            final Method getter = struct.getClass().getMethod(field.accessor());
            final long value = field.width() == 8 ? 0x0102_0304_0506_0708L : 0x1122_3344L;
            if (field.width() == 8)
            {
                setter.invoke(struct, value);
            }
            else
            {
                setter.invoke(struct, (int)value);
            }
            for (int i = 0; i < raw.capacity(); i++)
            {
                final int rel = i - base - field.offset();
                final int expected = rel >= 0 && rel < field.width() ? (int)(value >>> (8 * rel)) & 0xFF : 0xA5;
                assertEquals(expected, raw.get(i) & 0xFF, layout.name() + "." + field.accessor() + " byte " + i);
            }
            assertEquals(field.width() == 8 ? (Object)value : (Object)(int)value, getter.invoke(struct), field.accessor());
        }
        struct.clearWithSize();
        if (layout.fields().get(0).accessor().equals("sizeField"))
        {
            assertEquals(layout.size(), raw.getInt(base), "clearWithSize stores the size");
        }
    }
}
