package dev.cmdq.bench.scenario;

/**
 * Solves a small square linear system {@code A x = b} by Gaussian elimination with partial pivoting:
 * the arithmetic of the published profile's derivation (four equations, four unknowns).
 */
public final class LinearSystem
{
    private static final double SINGULAR = 1e-12;

    private LinearSystem()
    {
    }

    /**
     * @param a the n x n coefficients (not modified).
     * @param b the n right-hand sides (not modified).
     * @return x.
     * @throws IllegalArgumentException when the shapes disagree or the system is singular, naming the column.
     */
    public static double[] solve(final double[][] a, final double[] b)
    {
        final int n = b.length;
        if (a.length != n)
        {
            throw new IllegalArgumentException("a has " + a.length + " rows, b has " + n);
        }
        final double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++)
        {
            if (a[i].length != n)
            {
                throw new IllegalArgumentException("row " + i + " of a has " + a[i].length + " columns, need " + n);
            }
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col]))
                {
                    pivot = r;
                }
            }
            double scale = 0;
            for (int c = 0; c < n; c++)
            {
                scale = Math.max(scale, Math.abs(m[pivot][c]));
            }
            if (scale == 0 || Math.abs(m[pivot][col]) <= SINGULAR * scale)
            {
                throw new IllegalArgumentException("singular system: column " + col + " has no usable pivot");
            }
            final double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++)
            {
                final double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++)
                {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        final double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++)
            {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
