package dev.aioops.bench.suite;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One PNG bar chart per workload: median throughput per contender (aioops adapters in blue, the others in grey)
 * with its min … max spread as whiskers, and the median and CPU cost written under each bar, so that a chart reads
 * without the table.
 */
final class Charts {

    private static final Color AIOOPS = new Color(0x1f77b4);
    private static final Color OTHERS = new Color(0x9e9e9e);

    private Charts() {
    }

    static void write(List<Summary> summaries, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Map<String, List<Summary>> byWorkload = new LinkedHashMap<>();
        for (Summary s : summaries) {
            if (s.ran()) {
                byWorkload.computeIfAbsent(s.workload().name() + " — " + s.workload().variant(),
                        k -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<String, List<Summary>> e : byWorkload.entrySet()) {
            Workload w = e.getValue().getFirst().workload();
            CategoryChart chart = new CategoryChartBuilder().width(1000).height(820).title(e.getKey())
                    .xAxisTitle("").yAxisTitle(w.unit().label + " (median, whiskers: half the min…max spread)").build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setPlotGridVerticalLinesVisible(false);
            chart.getStyler().setLabelsVisible(false);
            // Upright labels: XChart 3.8 draws slanted ones shifted by about a bar, under the neighbour's bar.
            chart.getStyler().setXAxisLabelRotation(90);
            chart.getStyler().setYAxisDecimalPattern("#,###");
            chart.getStyler().setPlotMargin(20);
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
            chart.getStyler().setSeriesColors(new Color[]{AIOOPS, OTHERS});
            chart.getStyler().setOverlapped(true);
            List<String> names = new ArrayList<>();
            List<Double> aioops = new ArrayList<>();
            List<Double> others = new ArrayList<>();
            List<Double> aioopsErrors = new ArrayList<>();
            List<Double> otherErrors = new ArrayList<>();
            for (Summary s : e.getValue()) {
                names.add(String.format(Locale.ROOT, "%s  %s · %s %s", s.contender(),
                        compact(s.medianThroughput()), threeDigits(s.medianCpuPerWork()), w.unit().cpuLabel));
                boolean ours = s.contender().startsWith("aioops");
                aioops.add(ours ? s.medianThroughput() : 0.0);
                others.add(ours ? 0.0 : s.medianThroughput());
                double halfSpread = (s.maxThroughput() - s.minThroughput()) / 2;
                aioopsErrors.add(ours ? halfSpread : 0.0);
                otherErrors.add(ours ? 0.0 : halfSpread);
            }
            chart.addSeries("aioops", names, aioops, aioopsErrors);
            chart.addSeries("others", names, others, otherErrors);
            String fileName = e.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("(^-|-$)", "");
            BitmapEncoder.saveBitmap(chart, dir.resolve(fileName + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** 1234.5 → "1235", 12.345 → "12.3", 0.12345 → "0.12": CPU costs to about three significant digits. */
    private static String threeDigits(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    /** 3,707 → "3.7k", 178,334 → "178k", 1,029,422 → "1.03M": short enough for a rotated axis label. */
    private static String compact(double value) {
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        if (value >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", value / 1e3);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
