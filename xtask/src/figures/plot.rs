//! What every plot shares: an SVG canvas with the machine it was measured on captioned below,
//! lines with a dot at each point, a boxed legend, and the colours.

use anyhow::Result;
use ladder::Machine;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;

/// The colours of a plot's series, in order: enough that no two rungs of a ladder share one.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(214, 39, 40),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(31, 119, 180),
    RGBColor(148, 103, 189),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(0, 90, 90),
];

/// A second set of colours, darker, for a second kind of point in the same plot, so that no
/// point of one kind shares a colour with one of the other.
pub const SECOND_PALETTE: [RGBColor; 7] = [
    RGBColor(110, 0, 0),
    RGBColor(0, 0, 120),
    RGBColor(0, 90, 0),
    RGBColor(110, 0, 110),
    RGBColor(120, 70, 0),
    RGBColor(0, 0, 0),
    RGBColor(90, 90, 140),
];

/// The colour of what is not a measured series: ideals, ceilings, other tools.
pub const GREY: RGBColor = RGBColor(120, 120, 120);

/// The size of a plot's text (ticks, axis names, legends, labels), as plotters counts it: it
/// writes `size / 1.24` pixels into the SVG, and the book's column (750 px) shows an 860-pixel
/// figure at 0.87 of its size, so 18 comes out at 12.6 px on the reader's screen.
pub const TEXT: u32 = 18;

/// The size of a plot's title.
pub const TITLE: u32 = 22;

/// The height of the strip under every plot that names the machine, in two lines.
const FOOTER: u32 = 52;

/// An SVG figure `width` pixels wide on white: `draw` draws in its top `height` pixels, and
/// the machine the figure was measured on is captioned in a strip below.
pub fn figure(
    width: u32,
    height: u32,
    machine: &Machine,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height + FOOTER)).into_drawing_area();
        root.fill(&WHITE)?;
        let (area, footer) = root.split_vertically(height);
        draw(&area)?;
        let style = ("sans-serif", TEXT).into_font().color(&RGBColor(90, 90, 90));
        let (hardware, software) = machine.caption_lines();
        footer.draw(&Text::new(hardware, (12, 6), style.clone()))?;
        footer.draw(&Text::new(software, (12, 28), style))?;
        root.present()?;
    }
    Ok(svg)
}

/// The chart's mesh, its ticks and axis names at the plots' one text size: what every plot's
/// `configure_mesh` starts from.
pub fn mesh<'a, 'b, X, Y, XT, YT>(
    chart: &'b mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
) -> MeshStyle<'a, 'b, X, Y, SVGBackend<'a>>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut style = chart.configure_mesh();
    style.label_style(("sans-serif", TEXT)).axis_desc_style(("sans-serif", TEXT));
    style
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

/// Series whose points are all within 2% of an earlier series' would hide its line: they are
/// merged into it, named `first = second`. Keeps the order of first appearance.
pub fn merge_equal(series: Vec<(String, Vec<(f64, f64)>)>) -> Vec<(String, Vec<(f64, f64)>)> {
    let mut lines: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for (name, points) in series {
        let same = |other: &[(f64, f64)]| {
            other.len() == points.len()
                && other
                    .iter()
                    .zip(&points)
                    .all(|(a, b)| a.0 == b.0 && (a.1 / b.1 - 1.0).abs() < 0.02)
        };
        match lines.iter_mut().find(|(_, other)| same(other)) {
            Some((names, _)) => *names = format!("{names} = {name}"),
            None => lines.push((name, points)),
        }
    }
    lines
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
        .label_font(("sans-serif", TEXT))
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

/// An axis for counts that double (threads, matrix sizes): its coordinate is the count's base-2
/// logarithm, from `low` to `high` with a margin, so that the powers of two are evenly spaced
/// and each is labelled once ([`power_of_two`]), where plotters' own log scale labels 3, 5, 6,
/// 7 and 9 and writes 10 twice.
pub fn doubling(low: f64, high: f64) -> std::ops::Range<f64> {
    low.max(1.0).log2() - 0.3..high.max(1.0).log2() + 0.3
}

/// The tick label at `x` on a [`doubling`] axis: the power of two at whole exponents, nothing
/// between them.
pub fn power_of_two(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{}", 2f64.powi(x.round() as i32))
    } else {
        String::new()
    }
}

/// How many ticks a [`doubling`] axis over `range` needs for one at every whole exponent.
pub fn doubling_ticks(range: &std::ops::Range<f64>) -> usize {
    (range.end - range.start).ceil() as usize + 1
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
        .caption(caption, ("sans-serif", TITLE))
        .margin(12)
        .x_label_area_size(60)
        .y_label_area_size(60)
        .build_cartesian_2d(x.log_scale(), y.log_scale())?;
    let label = |v: &f64| if *v >= 1.0 { format!("{v:.0}") } else { format!("{v:.2}") };
    mesh(&mut chart)
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
