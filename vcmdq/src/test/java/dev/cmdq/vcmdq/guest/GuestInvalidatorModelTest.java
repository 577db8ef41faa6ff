package dev.cmdq.vcmdq.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cmdq.queue.issue.CommandBatch;
import dev.cmdq.queue.issue.IssueStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The guest driver against {@link UnmapReferenceModel}, a second implementation written from the
 * document: first the model is held to the shared vectors (so the oracle itself is checked against
 * Linux's output), then both run thousands of seeded random requests shaped like the callers of
 * linux-unmap-sequences.md §2 (leaf unmaps of pages and blocks, walk flushes, SVA-style ranges, ATC
 * spans, context flushes; every page size, both range paths, FORCE_SYNC, both sync forms). Seed:
 * {@code cmdq.stress.seed}.
 */
class GuestInvalidatorModelTest
{
    private static final long SEED = Long.getLong("cmdq.stress.seed", 20261123);
    private static final int REQUESTS = 4_000;

    private final UnmapReferenceModel model = new UnmapReferenceModel();

    @Test
    void theModelReproducesEverySharedRow() throws IOException
    {
        final UnmapRequest request = new UnmapRequest();
        final UnmapInputs inputs = new UnmapInputs();
        final List<String> failures = new ArrayList<>();
        for (final UnmapVectorRow row : UnmapVectorFile.read(SharedVectors.unmapSequences()))
        {
            inputs.parse(UnmapOp.ofCsvName(row.op()), row.inputs(), request);
            final String[] got = model.run(request, inputs.forceSync(), inputs.syncCs());
            if (!got[0].equals(row.commands()) || !got[1].equals(row.issues()))
            {
                failures.add("row " + row.number());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void theDriverAgreesWithTheModelOnRandomRequests()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final SplitRecordingIssuer recorder = new SplitRecordingIssuer();
        final CommandBatch plain = new CommandBatch(recorder, false);
        final CommandBatch forceSync = new CommandBatch(recorder, true);
        final GuestInvalidator invalidator = new GuestInvalidator();
        final List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++)
        {
            final UnmapRequest request = randomRequest(random);
            final boolean force = random.nextInt(4) == 0;
            final int syncCs = random.nextBoolean() ? 2 : 0;
            recorder.reset(syncCs);
            final int status = invalidator.invalidate(request, force ? forceSync : plain);
            final String[] expected = model.run(request, force, syncCs);
            if (status != IssueStatus.OK || !expected[0].equals(recorder.commands()) || !expected[1].equals(recorder.issues()))
            {
                failures.add("request " + i + " " + describe(request) + " force_sync=" + force + ": expected issues " +
                    expected[1] + " got " + recorder.issues());
                if (failures.size() > 5)
                {
                    break;
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    private static UnmapRequest randomRequest(final SplittableRandom random)
    {
        final UnmapRequest r = new UnmapRequest()
            .asid(random.nextInt(0x10000))
            .vmid(random.nextInt(4) == 0 ? random.nextInt(0x10000) : 0)
            .ats(random.nextBoolean())
            .sid(random.nextLong(0x1_0000_0000L))
            .ssid(random.nextBoolean() ? 0 : random.nextInt(0x10_0000));
        final int kind = random.nextInt(10);
        if (kind < 6)
        {
            final long pg = new long[]{0x1000, 0x4000, 0x10000}[random.nextInt(3)];
            final long[] blocks = pg == 0x1000 ? new long[]{0x20_0000L, 0x4000_0000L} :
                pg == 0x4000 ? new long[]{0x200_0000L} : new long[]{0x2000_0000L};
            final boolean ril = random.nextBoolean();
            final long granule;
            final long size;
            final boolean leaf = kind < 3;
            if (leaf)
            {
                granule = random.nextBoolean() ? pg : blocks[random.nextInt(blocks.length)];
                final long maxCount = ril ? Math.max(1, (1L << 40) / granule) : Math.max(1, Math.min(300, (1L << 34) / granule));
                size = granule * (1 + random.nextLong(maxCount));
            }
            else
            {
                granule = pg;
                // A walk flush of one block (on the per-granule path only small blocks, to bound the count),
                // or an SVA-style run of pages.
                final long block = blocks[0];
                final boolean walk = random.nextBoolean() && (ril || block / pg <= 8192);
                size = walk ? block : pg * (1 + random.nextLong(ril ? 1L << 24 : 300));
            }
            final long alignment = Math.max(granule, leaf ? granule : size >= blocks[0] ? blocks[0] : pg);
            final long iova = alignment * random.nextLong(((1L << 47) - size) / alignment);
            return r.op(random.nextBoolean() ? UnmapOp.TLB_INV_RANGE_ASID : UnmapOp.TLB_INV_RANGE_DOMAIN)
                .pageSize(pg).granule(granule).leaf(leaf).rangeInvalidation(ril).size(size).iova(iova);
        }
        if (kind < 8)
        {
            if (random.nextInt(6) == 0)
            {
                return r.op(UnmapOp.ATC_INV).iova(0).size(0);
            }
            final long size = 0x1000L * (1 + random.nextLong(random.nextBoolean() ? 64 : 1 << 22));
            return r.op(UnmapOp.ATC_INV).size(size).iova(0x1000L * random.nextLong(((1L << 48) - size) >>> 12));
        }
        return r.op(UnmapOp.TLB_INV_CONTEXT);
    }

    private static String describe(final UnmapRequest r)
    {
        return r.op().csvName() + " iova=0x" + Long.toHexString(r.iova()) + " size=0x" + Long.toHexString(r.size()) +
            " granule=0x" + Long.toHexString(r.granule()) + " pgsize=0x" + Long.toHexString(r.pageSize()) +
            " leaf=" + r.leaf() + " ril=" + r.rangeInvalidation() + " ats=" + r.ats();
    }
}
