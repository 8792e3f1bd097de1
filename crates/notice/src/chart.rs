//! A small line chart as a PNG image, for printed reports (the plan evaluation's 指标走势图):
//! years along the bottom, the indicator's path, its actual values and any binding limit.
//! Made here, without a browser or fonts: the numbers are printed in the caption beside it, so
//! the image carries only the lines.

use tiny_skia::{
    Color, FillRule, LineCap, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use crate::NoticeError;

/// What a line of the chart is, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The value expected each year (序时路径): grey, dashed.
    Expected,
    /// The values reported (实际值): blue, with a dot on each year.
    Actual,
    /// A bound that must hold every year (约束性上限/下限): red, dashed.
    Limit,
}

/// One line: a value per year (missing years are left as gaps).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLine {
    pub kind: LineKind,
    pub points: Vec<(i32, f64)>,
}

/// A chart over the years `from..=to`.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub from: i32,
    pub to: i32,
    pub lines: Vec<ChartLine>,
}

/// A picture in a printed report: the PNG, its size in pixels and the caption under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub caption: String,
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

const MARGIN: f32 = 24.0;

impl LineChart {
    /// The value range shown: every value with a tenth of the span above and below (a flat
    /// series gets a span of its own size, so a line of 7% does not sit on the frame).
    fn range(&self) -> (f64, f64) {
        let values = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().map(|(_, v)| *v))
            .filter(|v| v.is_finite());
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !low.is_finite() {
            return (0.0, 1.0);
        }
        let span = if high - low > f64::EPSILON {
            high - low
        } else {
            low.abs().max(1.0)
        };
        (low - span * 0.1, high + span * 0.1)
    }

    /// The chart as PNG bytes, `width` × `height` pixels.
    pub fn png(&self, width: u32, height: u32) -> Result<Vec<u8>, NoticeError> {
        let mut pixmap = Pixmap::new(width, height)
            .ok_or_else(|| NoticeError::Chart(format!("图片尺寸 {width}×{height} 无效")))?;
        pixmap.fill(Color::WHITE);
        let (w, h) = (width as f32, height as f32);
        let (low, high) = self.range();
        let years = (self.to - self.from).max(1) as f32;
        let x = |year: i32| MARGIN + (year - self.from) as f32 / years * (w - 2.0 * MARGIN);
        let y = |v: f64| h - MARGIN - ((v - low) / (high - low)) as f32 * (h - 2.0 * MARGIN);
        let paint = |r: u8, g: u8, b: u8| {
            let mut p = Paint::default();
            p.set_color_rgba8(r, g, b, 255);
            p.anti_alias = true;
            p
        };
        let stroke = |width: f32, dashed: bool| Stroke {
            width,
            line_cap: LineCap::Round,
            dash: if dashed {
                StrokeDash::new(vec![8.0, 6.0], 0.0)
            } else {
                None
            },
            ..Stroke::default()
        };
        // Grid: a light line at each year and at quarters of the range; the frame darker.
        let mut grid = PathBuilder::new();
        for year in self.from..=self.to {
            grid.move_to(x(year), MARGIN);
            grid.line_to(x(year), h - MARGIN);
        }
        for q in 1..4 {
            let gy = MARGIN + q as f32 * (h - 2.0 * MARGIN) / 4.0;
            grid.move_to(MARGIN, gy);
            grid.line_to(w - MARGIN, gy);
        }
        if let Some(path) = grid.finish() {
            pixmap.stroke_path(
                &path,
                &paint(225, 228, 232),
                &stroke(1.0, false),
                Transform::identity(),
                None,
            );
        }
        let mut frame = PathBuilder::new();
        frame.move_to(MARGIN, MARGIN);
        frame.line_to(MARGIN, h - MARGIN);
        frame.line_to(w - MARGIN, h - MARGIN);
        if let Some(path) = frame.finish() {
            pixmap.stroke_path(
                &path,
                &paint(120, 124, 130),
                &stroke(1.5, false),
                Transform::identity(),
                None,
            );
        }
        for line in &self.lines {
            let (color, width, dashed) = match line.kind {
                LineKind::Expected => (paint(140, 144, 150), 2.5, true),
                LineKind::Actual => (paint(31, 94, 170), 3.0, false),
                LineKind::Limit => (paint(200, 40, 40), 2.0, true),
            };
            let mut points: Vec<(i32, f64)> = line
                .points
                .iter()
                .copied()
                .filter(|(year, v)| v.is_finite() && (self.from..=self.to).contains(year))
                .collect();
            points.sort_by_key(|(year, _)| *year);
            // Consecutive years are joined; a missing year breaks the line.
            let mut path = PathBuilder::new();
            let mut previous: Option<i32> = None;
            for (year, v) in &points {
                if previous == Some(year - 1)
                    || (line.kind != LineKind::Actual && previous.is_some())
                {
                    path.line_to(x(*year), y(*v));
                } else {
                    path.move_to(x(*year), y(*v));
                }
                previous = Some(*year);
            }
            if let Some(path) = path.finish() {
                pixmap.stroke_path(
                    &path,
                    &color,
                    &stroke(width, dashed),
                    Transform::identity(),
                    None,
                );
            }
            if line.kind == LineKind::Actual {
                for (year, v) in &points {
                    if let Some(dot) = PathBuilder::from_circle(x(*year), y(*v), 5.0) {
                        pixmap.fill_path(
                            &dot,
                            &color,
                            FillRule::Winding,
                            Transform::identity(),
                            None,
                        );
                    }
                }
            }
        }
        encode(&pixmap)
    }
}

/// The pixmap as an RGB PNG. The background is opaque, so premultiplied RGBA is plain RGBA, and
/// the alpha channel (which PDF writers turn into a second, mask image) is dropped.
fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, NoticeError> {
    let error = |e: png::EncodingError| NoticeError::Chart(e.to_string());
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(error)?;
    writer.write_image_data(&rgb).map_err(error)?;
    writer.finish().map_err(error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(png_bytes: &[u8], px: u32, py: u32) -> [u8; 3] {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("png header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("frame");
        let i = ((py * info.width + px) * 3) as usize;
        [buf[i], buf[i + 1], buf[i + 2]]
    }

    #[test]
    fn the_actual_line_is_drawn_where_its_values_are() {
        let chart = LineChart {
            from: 2020,
            to: 2025,
            lines: vec![
                ChartLine {
                    kind: LineKind::Expected,
                    points: vec![(2020, 65.6), (2025, 75.0)],
                },
                ChartLine {
                    kind: LineKind::Actual,
                    points: vec![(2021, 66.0), (2022, 70.0)],
                },
            ],
        };
        let png_bytes = chart.png(480, 240).expect("png");
        assert_eq!(&png_bytes[1..4], b"PNG");
        // Range 65.6..75 padded by 0.94 each side: 2022's 70.0 sits at this height.
        let (low, high) = chart.range();
        let y = 240.0 - MARGIN - ((70.0 - low) / (high - low)) as f32 * (240.0 - 2.0 * MARGIN);
        let x = MARGIN + 2.0 / 5.0 * (480.0 - 2.0 * MARGIN);
        let [r, g, b] = pixel(&png_bytes, x.round() as u32, y.round() as u32);
        assert!(
            b > 150 && r < 80 && g < 130,
            "blue dot expected, got {r},{g},{b}"
        );
        // A corner far from every line stays white.
        assert_eq!(pixel(&png_bytes, 2, 2), [255, 255, 255]);
    }

    #[test]
    fn a_chart_without_values_is_still_a_picture() {
        let chart = LineChart {
            from: 2020,
            to: 2025,
            lines: Vec::new(),
        };
        assert!(chart.png(200, 100).expect("png").starts_with(b"\x89PNG"));
        assert!(chart.png(0, 100).is_err());
    }
}
