//! What every plot shares: an SVG canvas with the machine it was measured on captioned below,
//! lines with a dot at each point, a boxed legend, and the colours.

use anyhow::Result;
use ladder::Machine;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The colours of a plot's series, in order: enough that no two rungs of a ladder share one.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(214, 39, 40),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(31, 119, 180),
    RGBColor(148, 103, 189),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The colour of what is not a measured series: ideals, ceilings, other tools.
pub const GREY: RGBColor = RGBColor(120, 120, 120);

/// An SVG figure of `size` pixels on white: `draw` draws in its top `height` pixels, and the
/// machine the figure was measured on is captioned in the strip below.
pub fn figure(
    size: (u32, u32),
    height: u32,
    machine: &Machine,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)?;
        let (area, footer) = root.split_vertically(height);
        draw(&area)?;
        let style = ("sans-serif", 12).into_font().color(&RGBColor(90, 90, 90));
        footer.draw(&Text::new(machine.caption(), (12, 10), style))?;
        root.present()?;
    }
    Ok(svg)
}

/// Draws `points` as a line with a dot at each point, named `label` in the legend.
pub fn labelled_line<X, Y>(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<X, Y>>,
    points: Vec<(f64, f64)>,
    label: &str,
    color: RGBColor,
) -> Result<()>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
        .label(label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    chart.draw_series(points.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
    Ok(())
}

/// Draws the legend, boxed, at `position`.
pub fn legend<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
) -> Result<()>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// The label of row `y` of a chart whose `names` run top to bottom at `y = n − 1 … 0`: a name
/// at whole values, nothing between.
pub fn row_label(names: &[String], y: f64) -> String {
    let n = names.len() as f64;
    let row = y.round();
    match ((y - row).abs() < 1e-6).then_some(n - 1.0 - row) {
        Some(i) if (0.0..n).contains(&i) => names[i as usize].clone(),
        _ => String::new(),
    }
}

/// A chart with both axes on a log scale.
pub type LogLog<'a> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<LogCoord<f64>, LogCoord<f64>>>;

/// A roofline's chart: both axes logarithmic, arithmetic intensity along `x` and the rate along
/// `y`, each labelled as `descriptions` say, with whole numbers above 1 and two decimals below.
pub fn roofline_chart<'a>(
    area: &DrawingArea<SVGBackend<'a>, Shift>,
    caption: &str,
    (x, y): (std::ops::Range<f64>, std::ops::Range<f64>),
    descriptions: (&str, &str),
) -> Result<LogLog<'a>> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(x.log_scale(), y.log_scale())?;
    let label = |v: &f64| if *v >= 1.0 { format!("{v:.0}") } else { format!("{v:.2}") };
    chart
        .configure_mesh()
        .max_light_lines(0)
        .x_desc(descriptions.0)
        .y_desc(descriptions.1)
        .x_label_formatter(&label)
        .y_label_formatter(&label)
        .draw()?;
    Ok(chart)
}

/// A roof over the intensities `x`: `min(peak, bandwidth × intensity)` at 201 points evenly
/// spread on the log scale.
pub fn roof(x: &std::ops::Range<f64>, peak: f64, bandwidth: f64) -> Vec<(f64, f64)> {
    (0..=200)
        .map(|i| x.start * (x.end / x.start).powf(f64::from(i) / 200.0))
        .map(|intensity| (intensity, peak.min(bandwidth * intensity)))
        .collect()
}
