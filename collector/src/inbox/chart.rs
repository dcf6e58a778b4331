//! Bar charts as inline SVG, drawn on the server: no script, and no inline style either (the
//! inbox's CSP allows only its own stylesheet), so sizes and positions are SVG attributes and
//! colours come from classes in [`super::html::CSS`]. Each chart has a title and each bar a
//! `<title>`, which screen readers and tooltips read; [`table`] gives the same counts as a table
//! for those who would rather read numbers.

use maud::{html, Markup};

use crate::trends::Count;

/// Width of a chart, in SVG user units (it scales to its container).
const WIDTH: u64 = 600;
/// Height of one bar of a horizontal chart.
const ROW: u64 = 22;
/// Room on the left of a horizontal chart for the labels.
const LABEL: u64 = 220;
/// Height of a column chart's plot.
const PLOT: u64 = 120;

/// Characters of a label shown before it is cut.
const LABEL_CHARS: usize = 30;

fn longest(counts: &[Count]) -> u64 {
    counts
        .iter()
        .map(|count| count.count)
        .max()
        .unwrap_or(0)
        .max(1)
}

fn cut(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}

/// One horizontal bar per count, in their order (most frequent first), labelled on the left.
pub fn bars(title: &str, counts: &[Count]) -> Markup {
    let most = longest(counts);
    let room = WIDTH - LABEL - 50;
    let height = ROW * u64::try_from(counts.len()).unwrap_or(0);
    html! {
        figure.chart {
            figcaption { (title) }
            @if counts.is_empty() {
                p.meta { "Nothing in this period." }
            } @else {
                svg viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(title) {
                    @for (row, count) in (0u64..).zip(counts) {
                        @let y = row * ROW;
                        @let width = (count.count * room).div_ceil(most);
                        g {
                            title { (count.key) ": " (count.count) }
                            text.label x=(LABEL - 8) y=(y + 15) text-anchor="end" { (cut(&count.key)) }
                            rect.bar x=(LABEL) y=(y + 3) width=(width) height=(ROW - 6) {}
                            text.count x=(LABEL + width + 6) y=(y + 15) { (count.count) }
                        }
                    }
                }
            }
        }
    }
}

/// Most labels under a column chart; with more columns, every n-th is labelled.
const COLUMN_LABELS: u64 = 24;

/// One column per count, in their order (hours, weekdays, days), labelled below.
pub fn columns(title: &str, counts: &[Count]) -> Markup {
    let most = longest(counts);
    let slots = u64::try_from(counts.len()).unwrap_or(1).max(1);
    let slot = (WIDTH / slots).max(1);
    let every = slots.div_ceil(COLUMN_LABELS);
    html! {
        figure.chart {
            figcaption { (title) }
            svg viewBox={ "0 0 " (WIDTH) " " (PLOT + 40) } role="img" aria-label=(title) {
                @for (index, count) in (0u64..).zip(counts) {
                    @let height = (count.count * PLOT).div_ceil(most);
                    @let x = index * slot;
                    g {
                        title { (count.key) ": " (count.count) }
                        rect.bar x=(x + 2) y=(PLOT - height + 16) width=(slot - 4) height=(height) {}
                        @if count.count > 0 {
                            text.count x=(x + slot / 2) y=(PLOT - height + 12) text-anchor="middle" { (count.count) }
                        }
                        @if index % every == 0 {
                            text.label x=(x + slot / 2) y=(PLOT + 34) text-anchor="middle" { (count.key) }
                        }
                    }
                }
            }
        }
    }
}

/// The counts of a chart as a table, folded away under its title.
pub fn table(title: &str, counts: &[Count]) -> Markup {
    html! {
        details.table {
            summary { (title) " as a table" }
            table {
                thead { tr { th scope="col" { "Value" } th scope="col" { "Count" } } }
                tbody {
                    @for count in counts {
                        tr { th scope="row" { (count.key) } td { (count.count) } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)]) -> Vec<Count> {
        pairs
            .iter()
            .map(|(key, count)| Count {
                key: (*key).to_owned(),
                count: *count,
            })
            .collect()
    }

    #[test]
    fn bars_scale_to_the_largest_and_escape_their_labels() {
        let svg = bars("Pages", &counts(&[("/checkout", 4), ("<b>", 2)])).into_string();
        assert!(svg.contains("width=\"330\""), "{svg}");
        assert!(svg.contains("width=\"165\""), "{svg}");
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"), "{svg}");
        assert!(!svg.contains("style"), "{svg}");
        assert!(bars("Pages", &[])
            .into_string()
            .contains("Nothing in this period."));
    }

    #[test]
    fn many_columns_label_every_nth_and_tables_list_all() {
        let days: Vec<(String, u64)> = (0..60).map(|day| (format!("d{day}"), 1)).collect();
        let pairs: Vec<(&str, u64)> = days.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        let svg = columns("Days", &counts(&pairs)).into_string();
        assert_eq!(svg.matches("<rect").count(), 60);
        assert_eq!(svg.matches("class=\"label\"").count(), 20);
        let table = table("Days", &counts(&pairs)).into_string();
        assert_eq!(table.matches("<tr>").count(), 61);
    }

    #[test]
    fn columns_keep_every_slot() {
        let svg = columns("Hours", &counts(&[("00", 0), ("01", 3)])).into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("height=\"120\""), "{svg}");
    }
}
