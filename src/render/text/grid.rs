//! A grid of character cells. Lines are stored as arms (up, down, left, right) and merged
//! as they are drawn, so a crossing becomes `┼` and a line meeting another a tee; the
//! characters are only chosen when the grid is written out.

use super::charset::Charset;
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Arms(u8);

impl Arms {
    pub const UP: u8 = 1;
    pub const DOWN: u8 = 2;
    pub const LEFT: u8 = 4;
    pub const RIGHT: u8 = 8;
    pub const ALL: u8 = 15;

    pub fn from_bits(bits: u8) -> Self {
        Arms(bits & Self::ALL)
    }

    pub fn bits(self) -> u8 {
        self.0
    }

    pub fn up(self) -> bool {
        self.0 & Self::UP != 0
    }

    pub fn down(self) -> bool {
        self.0 & Self::DOWN != 0
    }

    pub fn left(self) -> bool {
        self.0 & Self::LEFT != 0
    }

    pub fn right(self) -> bool {
        self.0 & Self::RIGHT != 0
    }

    pub fn has(self, heading: Heading) -> bool {
        self.0 & heading.arm() != 0
    }
}

/// A direction on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    Up,
    Down,
    Left,
    Right,
}

impl Heading {
    pub const ALL: [Heading; 4] = [Heading::Up, Heading::Down, Heading::Left, Heading::Right];

    pub fn arm(self) -> u8 {
        match self {
            Heading::Up => Arms::UP,
            Heading::Down => Arms::DOWN,
            Heading::Left => Arms::LEFT,
            Heading::Right => Arms::RIGHT,
        }
    }

    pub fn opposite(self) -> Heading {
        match self {
            Heading::Up => Heading::Down,
            Heading::Down => Heading::Up,
            Heading::Left => Heading::Right,
            Heading::Right => Heading::Left,
        }
    }

    /// The heading from one cell to another on the same row or column.
    pub fn between(from: (usize, usize), to: (usize, usize)) -> Option<Heading> {
        use std::cmp::Ordering::*;
        match (to.0.cmp(&from.0), to.1.cmp(&from.1)) {
            (Equal, Less) => Some(Heading::Up),
            (Equal, Greater) => Some(Heading::Down),
            (Less, Equal) => Some(Heading::Left),
            (Greater, Equal) => Some(Heading::Right),
            _ => None,
        }
    }

    /// The neighbouring cell this way, if it is on a grid of `width × height`.
    pub fn step(
        self,
        (x, y): (usize, usize),
        width: usize,
        height: usize,
    ) -> Option<(usize, usize)> {
        match self {
            Heading::Up => y.checked_sub(1).map(|y| (x, y)),
            Heading::Down => (y + 1 < height).then_some((x, y + 1)),
            Heading::Left => x.checked_sub(1).map(|x| (x, y)),
            Heading::Right => (x + 1 < width).then_some((x + 1, y)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Blank,
    Line {
        arms: Arms,
        dashed: bool,
    },
    Char(char),
    /// The first cell of a wide character; its second is `WideTail`.
    Wide(char),
    WideTail,
}

// Cells are stored packed in a `u32` with blank as 0, so a grid starts as zeroed memory
// that the system maps lazily: a large, mostly empty drawing costs only what is drawn.
const LINE: u32 = 1 << 31;
const CHAR: u32 = 1 << 30;
const WIDE: u32 = 1 << 29;
const WIDE_TAIL: u32 = 1 << 28;
const DASHED: u32 = 1 << 4;
const CHAR_BITS: u32 = 0x1F_FFFF;

impl Cell {
    fn pack(self) -> u32 {
        match self {
            Cell::Blank => 0,
            Cell::Line { arms, dashed } => {
                LINE | u32::from(arms.bits()) | if dashed { DASHED } else { 0 }
            }
            Cell::Char(c) => CHAR | u32::from(c),
            Cell::Wide(c) => WIDE | u32::from(c),
            Cell::WideTail => WIDE_TAIL,
        }
    }

    fn unpack(bits: u32) -> Cell {
        let char_of = |bits: u32| char::from_u32(bits & CHAR_BITS).unwrap_or('\u{FFFD}');
        if bits & LINE != 0 {
            Cell::Line {
                arms: Arms::from_bits((bits & 0xF) as u8),
                dashed: bits & DASHED != 0,
            }
        } else if bits & CHAR != 0 {
            Cell::Char(char_of(bits))
        } else if bits & WIDE != 0 {
            Cell::Wide(char_of(bits))
        } else if bits & WIDE_TAIL != 0 {
            Cell::WideTail
        } else {
            Cell::Blank
        }
    }
}

pub struct Grid {
    width: usize,
    height: usize,
    cells: Vec<u32>,
}

impl Grid {
    pub fn new(width: usize, height: usize) -> Self {
        Grid {
            width,
            height,
            cells: vec![0; width * height],
        }
    }

    fn index(&self, x: usize, y: usize) -> usize {
        y * self.width + x
    }

    fn get(&self, i: usize) -> Cell {
        Cell::unpack(self.cells[i])
    }

    fn set(&mut self, i: usize, cell: Cell) {
        self.cells[i] = cell.pack();
    }

    /// Adds arms to a line cell; a line over text or an arrowhead leaves it alone.
    pub fn add_arms(&mut self, (x, y): (usize, usize), arms: u8, dashed: bool) {
        let i = self.index(x, y);
        let merged = match self.get(i) {
            Cell::Blank => Cell::Line {
                arms: Arms::from_bits(arms),
                dashed,
            },
            Cell::Line {
                arms: old,
                dashed: was,
            } => Cell::Line {
                arms: Arms::from_bits(old.bits() | arms),
                dashed: was && dashed,
            },
            other => other,
        };
        self.set(i, merged);
    }

    /// A straight line between two cells on one row or column, both included.
    pub fn line(&mut self, a: (usize, usize), b: (usize, usize), dashed: bool) {
        let Some(heading) = Heading::between(a, b) else {
            return;
        };
        let (forward, backward) = (heading.arm(), heading.opposite().arm());
        let mut at = a;
        loop {
            let mut arms = 0;
            if at != a {
                arms |= backward;
            }
            if at != b {
                arms |= forward;
            }
            self.add_arms(at, arms, dashed);
            if at == b {
                break;
            }
            at = match heading {
                Heading::Up => (at.0, at.1 - 1),
                Heading::Down => (at.0, at.1 + 1),
                Heading::Left => (at.0 - 1, at.1),
                Heading::Right => (at.0 + 1, at.1),
            };
        }
    }

    /// The outline of a rectangle given by its corners.
    pub fn frame(&mut self, (x0, y0): (usize, usize), (x1, y1): (usize, usize)) {
        self.line((x0, y0), (x1, y0), false);
        self.line((x0, y1), (x1, y1), false);
        self.line((x0, y0), (x0, y1), false);
        self.line((x1, y0), (x1, y1), false);
    }

    pub fn put(&mut self, (x, y): (usize, usize), c: char) {
        let i = self.index(x, y);
        self.set(i, Cell::Char(c));
    }

    /// Writes text from `(x, y)` on, wide characters taking two cells; characters of no
    /// width (combining marks) are dropped, control characters shown as `�`. Returns the
    /// cell after the text.
    pub fn text(&mut self, (mut x, y): (usize, usize), text: &str) -> usize {
        for c in text.chars() {
            let (c, width) = shown(c);
            if width == 0 || x + width > self.width {
                continue;
            }
            let i = self.index(x, y);
            if width == 2 {
                self.set(i, Cell::Wide(c));
                self.set(i + 1, Cell::WideTail);
            } else {
                self.set(i, Cell::Char(c));
            }
            x += width;
        }
        x
    }

    /// Arms of the line cell at `(x, y)`, if it is a line cell.
    pub fn arms(&self, (x, y): (usize, usize)) -> Option<Arms> {
        match self.get(self.index(x, y)) {
            Cell::Line { arms, .. } => Some(arms),
            _ => None,
        }
    }

    /// The drawing as lines of text, trailing blanks trimmed, each ending in a newline.
    pub fn write(&self, charset: Charset) -> String {
        let mut out = String::with_capacity((self.width + 1) * self.height);
        for row in self.cells.chunks(self.width.max(1)) {
            let start = out.len();
            // Blanks at the end of a row are never written, so never looked at again.
            let used = row
                .iter()
                .rposition(|&bits| bits != 0)
                .map_or(0, |last| last + 1);
            for &bits in &row[..used] {
                match Cell::unpack(bits) {
                    Cell::Blank => out.push(' '),
                    Cell::Line { arms, dashed } => out.push(charset.line(arms, dashed)),
                    Cell::Char(c) | Cell::Wide(c) => out.push(c),
                    Cell::WideTail => {}
                }
            }
            let trimmed = out[start..].trim_end_matches(' ').len();
            out.truncate(start + trimmed);
            out.push('\n');
        }
        out
    }
}

/// Display width of text in cells, as [`Grid::text`] writes it.
pub fn text_width(text: &str) -> usize {
    text.chars().map(|c| shown(c).1).sum()
}

/// The character drawn for `c` and its width in cells.
fn shown(c: char) -> (char, usize) {
    match c.width() {
        Some(width) => (c, width),
        None => ('\u{FFFD}', 1),
    }
}
