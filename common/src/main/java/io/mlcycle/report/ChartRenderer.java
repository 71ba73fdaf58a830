package io.mlcycle.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the report's charts with XChart, headless, to PNG: bars, lines, heat maps and grids of small
 * charts. Sizes stay moderate so that reports and notebooks stay small.
 */
public final class ChartRenderer {
  static final int WIDTH = 720;
  static final int HEIGHT = 380;
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

  static {
    // Reports are drawn on servers and in CI: never reach for a display.
    System.setProperty("java.awt.headless", "true");
  }

  private ChartRenderer() {}

  /** One value per category and series; stacked bars add up the series. */
  public static ReportBlock.Chart bars(String caption, String source, String xTitle, String yTitle,
                                       List<String> categories, Map<String, List<Double>> series, boolean stacked) {
    return encode(caption, source, barChart(caption, xTitle, yTitle, categories, series, stacked, WIDTH, HEIGHT));
  }

  private static CategoryChart barChart(String title, String xTitle, String yTitle, List<String> categories,
                                        Map<String, List<Double>> series, boolean stacked, int width, int height) {
    CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setStacked(stacked);
    chart.getStyler().setLegendVisible(series.size() > 1);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 8 ? 45 : 0);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    return chart;
  }

  /** Lines through (x, y) points, one per series; {@code diagonal} adds the y = x reference line. */
  public static ReportBlock.Chart lines(String caption, String source, String xTitle, String yTitle,
                                        Map<String, double[][]> series, boolean diagonal) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(caption)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(series.size() > 1 || diagonal);
    series.forEach((name, points) -> {
      XYSeries line = chart.addSeries(name, points[0], points[1]);
      line.setMarker(points[0].length > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    });
    if (diagonal) {
      XYSeries reference = chart.addSeries("reference", new double[] {0, 1}, new double[] {0, 1});
      reference.setMarker(SeriesMarkers.NONE);
      reference.setLineColor(Color.GRAY);
    }
    return encode(caption, source, chart);
  }

  /** Lines over categories (batches), one per series; a null value leaves a gap. */
  public static ReportBlock.Chart categoryLines(String caption, String source, String xTitle, String yTitle,
                                                List<String> categories, Map<String, List<Double>> series) {
    CategoryChart chart = barChart(caption, xTitle, yTitle, categories, series, false, WIDTH, HEIGHT);
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setOverlapped(true);
    return encode(caption, source, chart);
  }

  /** A heat map of {@code values[y][x]} (null = no value) over the x and y categories. */
  public static ReportBlock.Chart heatMap(String caption, String source, List<String> x, List<String> y,
                                          Double[][] values) {
    int height = Math.max(HEIGHT, 90 + 22 * y.size());
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(height).title(caption).build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(true);
    chart.getStyler().setShowValue(x.size() * y.size() <= 120);
    chart.getStyler().setHeatMapValueDecimalPattern("0.###");
    chart.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0xfdae61), new Color(0xd7191c)});
    List<Number[]> cells = new ArrayList<>();
    for (int j = 0; j < y.size(); j++) {
      for (int i = 0; i < x.size(); i++) {
        if (values[j][i] != null) {
          cells.add(new Number[] {i, j, Math.round(values[j][i] * 1000) / 1000.0});
        }
      }
    }
    chart.addSeries(caption, x, y, cells);
    return encode(caption, source, chart);
  }

  /** One small bar chart per entry, laid out in a grid of {@code columns}: e.g. a histogram per feature. */
  public static ReportBlock.Chart smallBars(String caption, String source, Map<String, Map<String, Double>> charts,
                                            int columns) {
    int width = WIDTH / 2;
    int height = 220;
    List<BufferedImage> images = new ArrayList<>();
    charts.forEach((title, bars) -> {
      CategoryChart chart = barChart(title, "", "share", List.copyOf(bars.keySet()),
          Map.of(title, List.copyOf(bars.values())), false, width, height);
      chart.getStyler().setXAxisLabelRotation(bars.size() > 5 ? 60 : 0);
      chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(9f));
      images.add(BitmapEncoder.getBufferedImage(chart));
    });
    int rows = (images.size() + columns - 1) / columns;
    BufferedImage grid = new BufferedImage(width * columns, height * Math.max(rows, 1), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), (i % columns) * width, (i / columns) * height, null);
    }
    g.dispose();
    return new ReportBlock.Chart(caption, source, png(grid), grid.getWidth(), grid.getHeight());
  }

  private static void style(AxesChartStyler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(0xe5e5e5));
    styler.setSeriesColors(PALETTE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setChartTitleBoxVisible(false);
    styler.setAntiAlias(true);
  }

  private static ReportBlock.Chart encode(String caption, String source, Chart<?, ?> chart) {
    return new ReportBlock.Chart(caption, source, png(BitmapEncoder.getBufferedImage(chart)), chart.getWidth(),
        chart.getHeight());
  }

  private static byte[] png(BufferedImage image) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(indexed(image), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode a chart as PNG", e);
    }
  }

  /**
   * The image with at most 256 colours: its most frequent ones, every other pixel (the edges of
   * anti-aliased text) mapped to the nearest of them. Charts are flat colours, so this looks the same and
   * makes the PNG about three times smaller, which keeps reports and committed notebooks small.
   */
  static BufferedImage indexed(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int pixel : pixels) {
      counts.merge(pixel & 0xffffff, 1, Integer::sum);
    }
    int[] palette = counts.entrySet().stream().sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
        .limit(256).mapToInt(Map.Entry::getKey).toArray();
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < palette.length; i++) {
      index.put(palette[i], i);
    }
    IndexColorModel model = new IndexColorModel(8, palette.length, palette, 0, false, -1, DataBuffer.TYPE_BYTE);
    BufferedImage indexed = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
    byte[] target = ((DataBufferByte) indexed.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      target[i] = (byte) (int) index.computeIfAbsent(pixels[i] & 0xffffff, rgb -> nearest(palette, rgb));
    }
    return indexed;
  }

  private static int nearest(int[] palette, int rgb) {
    int best = 0;
    long bestDistance = Long.MAX_VALUE;
    for (int i = 0; i < palette.length; i++) {
      int dr = ((palette[i] >> 16) & 0xff) - ((rgb >> 16) & 0xff);
      int dg = ((palette[i] >> 8) & 0xff) - ((rgb >> 8) & 0xff);
      int db = (palette[i] & 0xff) - (rgb & 0xff);
      long distance = (long) dr * dr + (long) dg * dg + (long) db * db;
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    return best;
  }
}
