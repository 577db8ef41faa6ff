package dev.cmdq.bench.scenario;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Solutions checked against systems built from a chosen x (b = A x computed by hand).
 */
class LinearSystemTest
{
    @Test
    void solvesAFourByFourSystemThatNeedsPivoting()
    {
        // x = (4900, 200, 14000, 1500); first column entry of row 0 is 0, so the solver must pivot.
        final double[][] a = {{0, 2, 1, 0}, {1, 65, 0, 0}, {1, 2, 2, 1}, {1, 128, 2, 64}};
        final double[] b = {2 * 200 + 14000, 4900 + 65 * 200, 4900 + 400 + 28000 + 1500, 4900 + 25600 + 28000 + 96000};
        assertArrayEquals(new double[] {4900, 200, 14000, 1500}, LinearSystem.solve(a, b), 1e-6);
    }

    @Test
    void aSingularSystemIsAnErrorNamingTheColumn()
    {
        final double[][] a = {{1, 2}, {2, 4}};
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LinearSystem.solve(a, new double[] {1, 2}));
        assertTrue(ex.getMessage().contains("column 1"), ex.getMessage());
    }

    @Test
    void mismatchedShapesAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> LinearSystem.solve(new double[][] {{1, 2}}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> LinearSystem.solve(new double[][] {{1}, {2}}, new double[] {1, 2}));
    }
}
