package dev.cmdq.bench.scenario;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PNG chart of a run (XChart, rendered headless): median latency per granule, one series per path
 * and thread count, log-scaled granule axis; for the published profile the published columns are drawn
 * too, dashed.
 */
public final class LatencyChart
{
    private LatencyChart()
    {
    }

    /**
     * @param report the run.
     * @return the chart.
     */
    public static XYChart chart(final CompareReport report)
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(900).height(560)
            .title("Guest DMA-unmap latency (" + report.settings().mode().name().toLowerCase(Locale.ROOT) +
                ", costs " + report.settings().costs().name() + ")")
            .xAxisTitle("granule (KiB)").yAxisTitle("median latency (us)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (final int t : report.settings().threads())
        {
            for (final PathKind p : report.settings().paths())
            {
                final List<Double> x = new ArrayList<>();
                final List<Double> y = new ArrayList<>();
                for (final CompareRow row : report.rows())
                {
                    final PathResult r = row.result(p);
                    if (row.workload().threads() == t && r != null)
                    {
                        x.add(row.workload().bufferBytes() / 1024.0);
                        y.add(Math.max(r.medianUs(), 0.001));
                    }
                }
                if (!x.isEmpty())
                {
                    chart.addSeries(p.label() + " x" + t, x, y).setMarker(SeriesMarkers.CIRCLE);
                }
            }
            if (report.predicted())
            {
                published(chart, report, t);
            }
        }
        return chart;
    }

    /**
     * Writes the chart as a PNG.
     *
     * @param report the run.
     * @param file   the PNG file to write (".png" is its name's end).
     * @throws IOException when it cannot be written.
     */
    public static void writePng(final CompareReport report, final Path file) throws IOException
    {
        final String name = file.toString();
        final String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        BitmapEncoder.saveBitmap(chart(report), base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static void published(final XYChart chart, final CompareReport report, final int t)
    {
        final List<Double> x = new ArrayList<>();
        final List<Double> trapped = new ArrayList<>();
        final List<Double> vcmdq = new ArrayList<>();
        for (final CompareRow row : report.rows())
        {
            final PublishedTable.Row pub = row.published();
            if (row.workload().threads() == t && pub != null)
            {
                x.add(row.workload().bufferBytes() / 1024.0);
                trapped.add(pub.trappedUs());
                vcmdq.add(pub.vcmdqUs());
            }
        }
        if (!x.isEmpty())
        {
            final XYSeries a = chart.addSeries("published trapped x" + t, x, trapped);
            a.setLineStyle(SeriesLines.DASH_DASH);
            a.setMarker(SeriesMarkers.NONE);
            final XYSeries b = chart.addSeries("published vcmdq x" + t, x, vcmdq);
            b.setLineStyle(SeriesLines.DASH_DASH);
            b.setMarker(SeriesMarkers.NONE);
        }
    }
}
