//! Charts as inline SVG, drawn in the template: a line chart of F1 per flywheel
//! iteration and bars of per-type scores. Both are a handful of shapes, which a plotting
//! crate would draw no better and would need font files for; every point carries its
//! value in `data-` attributes, so tests read the chart as the DOM.

use maud::{Markup, html};

/// One flywheel iteration on the chart.
pub(crate) struct IterationPoint {
    /// The iteration's id.
    pub id: String,
    /// F1 of the version that was active when the iteration ran.
    pub evaluated: Option<f64>,
    /// F1 of the version the iteration trained.
    pub trained: Option<f64>,
    /// Whether the trained version became the active one afterwards.
    pub promoted: bool,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// F1 of the evaluated and the trained version per iteration, promotions marked.
pub(crate) fn f1_chart(points: &[IterationPoint]) -> Markup {
    let x = |i: usize| {
        let span = WIDTH - LEFT - RIGHT;
        if points.len() <= 1 {
            LEFT + span / 2.0
        } else {
            LEFT + span * i as f64 / (points.len() - 1) as f64
        }
    };
    let y = |f1: f64| TOP + (1.0 - f1.clamp(0.0, 1.0)) * (HEIGHT - TOP - BOTTOM);
    let line = |pick: fn(&IterationPoint) -> Option<f64>| {
        points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| pick(p).map(|f| format!("{:.1},{:.1}", x(i), y(f))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        svg.chart.f1 viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label="F1 per iteration" {
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line.grid x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y(tick)) y2=(y(tick)) {}
                text.tick x=(LEFT - 6.0) y=(y(tick) + 4.0) text-anchor="end" { (format!("{tick:.2}")) }
            }
            @for (i, p) in points.iter().enumerate() {
                text.tick x=(x(i)) y=(HEIGHT - BOTTOM + 16.0) text-anchor="middle" { (i + 1) }
                @if p.promoted {
                    line.promotion x1=(x(i)) x2=(x(i)) y1=(TOP) y2=(HEIGHT - BOTTOM) data-iteration=(p.id) {
                        title { "Iteration " (p.id) ": its version was promoted" }
                    }
                }
            }
            text.axis x=(LEFT + (WIDTH - LEFT - RIGHT) / 2.0) y=(HEIGHT - 4.0) text-anchor="middle" { "iteration" }
            polyline.evaluated points=(line(|p| p.evaluated)) {}
            polyline.trained points=(line(|p| p.trained)) {}
            @for (i, p) in points.iter().enumerate() {
                (dot(x(i), p.evaluated.map(|f| (f, y(f))), "evaluated", &p.id))
                (dot(x(i), p.trained.map(|f| (f, y(f))), "trained", &p.id))
            }
        }
        p.legend {
            span.key.evaluated { "active version (evaluated)" }
            span.key.trained { "new version (trained)" }
            span.key.promotion { "promoted" }
        }
    }
}

fn dot(x: f64, value: Option<(f64, f64)>, series: &str, id: &str) -> Markup {
    let Some((f1, y)) = value else {
        return html! {};
    };
    html! {
        circle class={ "point " (series) } cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="4"
            data-series=(series) data-iteration=(id) data-f1=(format!("{f1:.4}")) {
            title { (series) " F1 " (format!("{f1:.4}")) " (iteration " (id) ")" }
        }
    }
}

/// One bar group: a label and its precision, recall and F1.
pub(crate) struct Scores {
    /// What the scores are of (an entity type).
    pub label: String,
    /// Precision, recall and F1 on 0–1.
    pub values: [Option<f64>; 3],
}

/// Horizontal bars of precision, recall and F1 per label.
pub(crate) fn score_bars(rows: &[Scores]) -> Markup {
    const NAMES: [&str; 3] = ["precision", "recall", "f1"];
    const LABEL: f64 = 140.0;
    const BAR: f64 = 10.0;
    const SPAN: f64 = 440.0;
    let group = BAR * 3.0 + 12.0;
    let height = group * rows.len() as f64 + 8.0;
    html! {
        svg.chart.bars viewBox={ "0 0 " (LABEL + SPAN + 60.0) " " (height) } role="img" aria-label="Scores per type" {
            @for (r, row) in rows.iter().enumerate() {
                text.label x=(LABEL - 8.0) y=(r as f64 * group + BAR * 2.0) text-anchor="end" { (row.label) }
                @for (k, value) in row.values.iter().enumerate() {
                    @if let Some(v) = value {
                        rect class={ "bar " (NAMES[k]) } x=(LABEL) y=(r as f64 * group + k as f64 * BAR)
                            width=(format!("{:.1}", v.clamp(0.0, 1.0) * SPAN)) height=(BAR - 1.0)
                            data-label=(row.label) data-metric=(NAMES[k]) data-value=(format!("{v:.4}")) {
                            title { (row.label) " " (NAMES[k]) " " (format!("{v:.4}")) }
                        }
                        text.value x=(LABEL + v.clamp(0.0, 1.0) * SPAN + 4.0) y=(r as f64 * group + k as f64 * BAR + BAR - 2.0) {
                            (format!("{v:.2}"))
                        }
                    }
                }
            }
        }
        p.legend {
            span.key.precision { "precision" }
            span.key.recall { "recall" }
            span.key.f1 { "F1" }
        }
    }
}

/// A multi-class confusion matrix as a heat map: rows the actual label, columns the
/// predicted one; a cell's shade is its share of the row, so every class reads alike
/// whatever its size.
pub(crate) fn heat_map(labels: &[String], matrix: &[Vec<u64>]) -> Markup {
    const CELL: f64 = 34.0;
    const MARGIN: f64 = 150.0;
    let n = labels.len() as f64;
    let size = MARGIN + CELL * n + 8.0;
    // Room on the right for the last column's slanted label.
    let width = size + 60.0;
    html! {
        svg.chart.heat viewBox={ "0 0 " (width) " " (size) } role="img" aria-label="Confusion matrix" {
            @for (j, label) in labels.iter().enumerate() {
                text.label transform={ "translate(" (MARGIN + CELL * (j as f64 + 0.6)) "," (MARGIN - 6.0) ") rotate(-50)" } { (label) }
            }
            @for (i, row) in matrix.iter().enumerate() {
                @let total = row.iter().sum::<u64>().max(1) as f64;
                text.label x=(MARGIN - 6.0) y=(MARGIN + CELL * (i as f64 + 0.65)) text-anchor="end" { (labels.get(i).map_or("", String::as_str)) }
                @for (j, count) in row.iter().enumerate() {
                    @let share = *count as f64 / total;
                    rect.cell.diagonal[i == j] x=(MARGIN + CELL * j as f64) y=(MARGIN + CELL * i as f64) width=(CELL - 1.0) height=(CELL - 1.0)
                        fill-opacity=(format!("{:.3}", 0.06 + 0.94 * share))
                        data-actual=(labels.get(i).map_or("", String::as_str)) data-predicted=(labels.get(j).map_or("", String::as_str)) data-count=(count) {
                        title { "actual " (labels.get(i).map_or("", String::as_str)) ", predicted " (labels.get(j).map_or("", String::as_str)) ": " (count) }
                    }
                    text.count.light[share > 0.5] x=(MARGIN + CELL * (j as f64 + 0.5)) y=(MARGIN + CELL * (i as f64 + 0.62)) text-anchor="middle" { (count) }
                }
            }
        }
        p.legend { "Rows: actual label; columns: predicted label; shade: share of the row." }
    }
}
