//! Drawing on the presentation: pen, arrow, ellipse and text in a few strong colours, kept in
//! map coordinates so they stay on the ground when the map moves.

use egui::{Color32, Pos2, Shape, Stroke};
use yitu_layers::{Mark, MarkShape};

use crate::command::Command;
use crate::i18n::Lang;
use crate::map::render::ScreenFromWorld;
use crate::map::world::World;

/// The pens: strong colours that survive a projector and a video codec.
pub const COLOURS: [[u8; 4]; 4] = [
    [230, 0, 35, 255],
    [255, 200, 0, 255],
    [0, 170, 255, 255],
    [200, 0, 200, 255],
];

/// What a drag draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Pen,
    Arrow,
    Ellipse,
    Text,
}

/// The drawing tool: what it draws, in which colour, the mark being drawn and the text typed.
#[derive(Debug, Clone, Default)]
pub struct MarkTool {
    pub kind: Option<MarkKind>,
    pub colour: usize,
    pub text: String,
    drawing: Option<MarkShape>,
}

fn lon_lat(t: &ScreenFromWorld, p: Pos2) -> [f64; 2] {
    let (lon, lat) = t.world(p).lon_lat();
    [lon, lat]
}

fn screen(t: &ScreenFromWorld, p: [f64; 2]) -> Pos2 {
    t.screen(World::from_lon_lat(p[0], p[1]))
}

/// What the pointer did over a map this frame, in that map's screen points: the desk's map
/// and the second screen both hand the pen these.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gesture {
    Click(Pos2),
    Press(Pos2),
    Move(Pos2),
    Release(Pos2),
}

impl Gesture {
    /// The gestures `response` (a map's area, sensing clicks and drags) saw this frame.
    pub fn of(response: &egui::Response) -> Vec<Self> {
        let Some(at) = response.interact_pointer_pos() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if response.clicked() {
            out.push(Self::Click(at));
        }
        if response.drag_started() {
            out.push(Self::Press(at));
        }
        out.push(Self::Move(at));
        if response.drag_stopped() {
            out.push(Self::Release(at));
        }
        out
    }

    /// The same gesture moved by `by` (from a window's points into its frame's).
    #[must_use]
    pub fn moved(self, by: egui::Vec2) -> Self {
        match self {
            Self::Click(p) => Self::Click(p + by),
            Self::Press(p) => Self::Press(p + by),
            Self::Move(p) => Self::Move(p + by),
            Self::Release(p) => Self::Release(p + by),
        }
    }
}

impl MarkTool {
    /// Takes the pointer over the map while a tool is chosen: a drag draws, a click places
    /// text; a finished mark is pushed as a command.
    pub fn input(
        &mut self,
        ui: &egui::Ui,
        rect: egui::Rect,
        t: &ScreenFromWorld,
        commands: &mut Vec<Command>,
    ) {
        if self.kind.is_none() {
            return;
        }
        let response = ui.interact(
            rect,
            egui::Id::unique("presenter-marks"),
            egui::Sense::click_and_drag(),
        );
        for g in Gesture::of(&response) {
            self.gesture(g, t, commands);
        }
    }

    /// One gesture over a map whose transform is `t`.
    pub fn gesture(&mut self, g: Gesture, t: &ScreenFromWorld, commands: &mut Vec<Command>) {
        let Some(kind) = self.kind else { return };
        match (g, kind) {
            (Gesture::Click(at), MarkKind::Text) if !self.text.trim().is_empty() => {
                commands.push(Command::AddMark(self.finish(MarkShape::Text {
                    at: lon_lat(t, at),
                    text: self.text.trim().to_owned(),
                })));
            }
            (Gesture::Press(at), MarkKind::Pen) => {
                self.drawing = Some(MarkShape::Pen {
                    points: vec![lon_lat(t, at)],
                });
            }
            (Gesture::Press(at), MarkKind::Arrow) => {
                let p = lon_lat(t, at);
                self.drawing = Some(MarkShape::Arrow { from: p, to: p });
            }
            (Gesture::Press(at), MarkKind::Ellipse) => {
                let p = lon_lat(t, at);
                self.drawing = Some(MarkShape::Ellipse { from: p, to: p });
            }
            (Gesture::Move(at), _) => {
                let p = lon_lat(t, at);
                match &mut self.drawing {
                    Some(MarkShape::Pen { points }) => points.push(p),
                    Some(MarkShape::Arrow { to, .. } | MarkShape::Ellipse { to, .. }) => *to = p,
                    _ => {}
                }
            }
            (Gesture::Release(_), _) => {
                if let Some(shape) = self.drawing.take() {
                    commands.push(Command::AddMark(self.finish(shape)));
                }
            }
            _ => {}
        }
    }

    fn finish(&self, shape: MarkShape) -> Mark {
        Mark {
            shape,
            color: COLOURS[self.colour % COLOURS.len()],
        }
    }

    /// Whether a mark is being drawn (a drag under way).
    pub fn is_drawing(&self) -> bool {
        self.drawing.is_some()
    }

    /// The mark being drawn, to show before it is finished.
    pub fn in_progress(&self) -> Option<Mark> {
        self.drawing.clone().map(|shape| self.finish(shape))
    }
}

/// The marks' shapes on screen; `painter` lays out text.
pub fn shapes(out: &mut Vec<Shape>, marks: &[Mark], t: &ScreenFromWorld, painter: &egui::Painter) {
    for m in marks {
        let [r, g, b, a] = m.color;
        let colour = Color32::from_rgba_unmultiplied(r, g, b, a);
        let stroke = Stroke::new(6.0, colour);
        let halo = Stroke::new(10.0, Color32::from_black_alpha(150));
        match &m.shape {
            MarkShape::Pen { points } => {
                let pts: Vec<Pos2> = points.iter().map(|p| screen(t, *p)).collect();
                out.push(Shape::line(pts.clone(), halo));
                out.push(Shape::line(pts, stroke));
            }
            MarkShape::Arrow { from, to } => {
                let (a, b) = (screen(t, *from), screen(t, *to));
                let dir = (b - a).normalized();
                let side = egui::vec2(-dir.y, dir.x);
                let head = [
                    b - dir * 28.0 + side * 14.0,
                    b,
                    b - dir * 28.0 - side * 14.0,
                ];
                for s in [halo, stroke] {
                    out.push(Shape::line_segment([a, b], s));
                    out.push(Shape::line(head.to_vec(), s));
                }
            }
            MarkShape::Ellipse { from, to } => {
                let r = egui::Rect::from_two_pos(screen(t, *from), screen(t, *to));
                let pts: Vec<Pos2> = (0..=64)
                    .map(|k| {
                        let a = std::f32::consts::TAU * k as f32 / 64.0;
                        r.center()
                            + egui::vec2(a.cos() * r.width() / 2.0, a.sin() * r.height() / 2.0)
                    })
                    .collect();
                out.push(Shape::line(pts.clone(), halo));
                out.push(Shape::line(pts, stroke));
            }
            MarkShape::Text { at, text } => {
                let p = screen(t, *at);
                let font = egui::FontId::proportional(34.0);
                let back = painter.layout_no_wrap(text.clone(), font.clone(), Color32::BLACK);
                let rect = egui::Rect::from_min_size(p, back.size()).expand(6.0);
                out.push(Shape::rect_filled(
                    rect,
                    6.0,
                    Color32::from_black_alpha(190),
                ));
                out.push(Shape::galley(
                    p,
                    painter.layout_no_wrap(text.clone(), font, colour),
                    colour,
                ));
            }
        }
    }
}

/// The pens: the kinds, the text to place, the colours, undo and clear.
pub fn tool_ui(ui: &mut egui::Ui, tool: &mut MarkTool, lang: Lang, commands: &mut Vec<Command>) {
    for (kind, name) in [
        (MarkKind::Pen, lang.t("画笔", "Pen")),
        (MarkKind::Arrow, lang.t("箭头", "Arrow")),
        (MarkKind::Ellipse, lang.t("椭圆", "Ellipse")),
        (MarkKind::Text, lang.t("文字", "Text")),
    ] {
        let on = tool.kind == Some(kind);
        if ui.selectable_label(on, name).clicked() {
            tool.kind = if on { None } else { Some(kind) };
        }
    }
    if tool.kind == Some(MarkKind::Text) {
        let label = ui.label(lang.t("文字", "Text"));
        ui.add(egui::TextEdit::singleline(&mut tool.text).desired_width(160.0))
            .labelled_by(label.id);
    }
    for (k, c) in COLOURS.iter().enumerate() {
        let colour = Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3]);
        let width = if tool.colour == k { 4.0 } else { 1.0 };
        let swatch = egui::Button::new("")
            .fill(colour)
            .min_size(egui::vec2(30.0, 30.0))
            .stroke(Stroke::new(width, Color32::WHITE));
        if ui
            .add(swatch)
            .on_hover_text(lang.t("颜色", "Colour"))
            .clicked()
        {
            tool.colour = k;
        }
    }
    if ui.button(lang.t("撤销", "Undo")).clicked() {
        commands.push(Command::UndoMark);
    }
    if ui.button(lang.t("清除", "Clear")).clicked() {
        commands.push(Command::ClearMarks);
    }
}
