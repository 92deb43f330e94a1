//! A grid of character cells. Lines are kept as arms (up, down, left, right) merged where
//! they meet, so a crossing becomes `┼` and a line meeting another a tee; the characters
//! are only chosen when the grid is written out.

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

/// A drawing recorded as straight lines and text, and written out a row at a time: a
/// large drawing is mostly blank, so it is never held as a whole grid of cells, and the
/// cost is what is drawn plus the text written out. Lines meeting in a cell merge their
/// arms; text, arrowheads included, always shows over lines.
pub struct Grid {
    width: usize,
    height: usize,
    /// Horizontal lines by row: first and last column, dashed.
    across: Vec<Vec<(usize, usize, bool)>>,
    /// Vertical lines: column, first and last row, dashed.
    down: Vec<(usize, usize, usize, bool)>,
    /// Text by row, in the order written: column, character, cells wide.
    text: Vec<Vec<(usize, char, usize)>>,
    /// Titles to place by row once everything else is there, in the order asked.
    titles: Vec<Vec<Title>>,
}

/// A title for a border: the first of `texts` (shorter and shorter) that fits, with a blank
/// either side, on plain border cells between two columns.
struct Title {
    low: usize,
    high: usize,
    texts: Vec<String>,
}

// A cell of the row being written is a byte, blank as zero.
const ARMS: u8 = 0xF;
const DASHED: u8 = 1 << 4;
const LINE: u8 = 1 << 5;
const TEXT: u8 = 1 << 6;
/// The second cell of a wide character, written as nothing.
const WIDE_TAIL: u8 = 1 << 7;
const PLAIN: u8 = LINE | Arms::LEFT | Arms::RIGHT;

impl Grid {
    pub fn new(width: usize, height: usize) -> Self {
        Grid {
            width,
            height,
            across: vec![Vec::new(); height],
            down: Vec::new(),
            text: vec![Vec::new(); height],
            titles: (0..height).map(|_| Vec::new()).collect(),
        }
    }

    /// A straight line between two cells on one row or column, both included.
    pub fn line(&mut self, a: (usize, usize), b: (usize, usize), dashed: bool) {
        match Heading::between(a, b) {
            Some(Heading::Left | Heading::Right) => {
                self.across[a.1].push((a.0.min(b.0), a.0.max(b.0), dashed));
            }
            Some(Heading::Up | Heading::Down) => {
                self.down.push((a.0, a.1.min(b.1), a.1.max(b.1), dashed));
            }
            None => {}
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
        self.text[y].push((x, c, 1));
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
            self.text[y].push((x, c, width));
            x += width;
        }
        x
    }

    /// Places the first of `texts` that fits on the border at `row`, between columns `low`
    /// and `high` (exclusive), at the first place from the left where it and a blank
    /// either side cover only plain horizontal line; placed after all other text.
    pub fn title(&mut self, row: usize, (low, high): (usize, usize), texts: Vec<String>) {
        self.titles[row].push(Title { low, high, texts });
    }

    /// The drawing as lines of text, trailing blanks trimmed, each ending in a newline.
    pub fn write(&self, charset: Charset) -> String {
        let lines: Vec<char> = (0..=ARMS | DASHED)
            .map(|bits| charset.line(Arms::from_bits(bits), bits & DASHED != 0))
            .collect();
        let mut down = self.down.clone();
        down.sort_unstable_by_key(|&(_, first, _, _)| first);
        let mut next_down = 0;
        let mut active: Vec<(usize, usize, usize, bool)> = Vec::new();
        let mut row = Row {
            cells: vec![0; self.width],
            chars: vec![' '; self.width],
        };
        let mut out = String::with_capacity((self.width + 1) * self.height);
        for y in 0..self.height {
            while next_down < down.len() && down[next_down].1 == y {
                active.push(down[next_down]);
                next_down += 1;
            }
            for &(x, first, last, dashed) in &active {
                let mut arms = 0;
                if y > first {
                    arms |= Arms::UP;
                }
                if y < last {
                    arms |= Arms::DOWN;
                }
                row.add_arms(x, arms, dashed);
            }
            active.retain(|&(_, _, last, _)| last > y);
            for &(first, last, dashed) in &self.across[y] {
                for x in first..=last {
                    let mut arms = 0;
                    if x > first {
                        arms |= Arms::LEFT;
                    }
                    if x < last {
                        arms |= Arms::RIGHT;
                    }
                    row.add_arms(x, arms, dashed);
                }
            }
            for &(x, c, width) in &self.text[y] {
                row.put(x, c, width);
            }
            for title in &self.titles[y] {
                row.title(title);
            }
            row.write_out(&mut out, &lines);
        }
        out
    }
}

/// The row being written: a byte per cell and, for text cells, the character.
struct Row {
    cells: Vec<u8>,
    chars: Vec<char>,
}

impl Row {
    /// Adds arms to a line cell; text leaves it alone.
    fn add_arms(&mut self, x: usize, arms: u8, dashed: bool) {
        let cell = &mut self.cells[x];
        if *cell == 0 {
            *cell = LINE | arms | if dashed { DASHED } else { 0 };
        } else if *cell & LINE != 0 {
            *cell |= arms;
            if !dashed {
                *cell &= !DASHED;
            }
        }
    }

    fn put(&mut self, x: usize, c: char, width: usize) {
        self.cells[x] = TEXT;
        self.chars[x] = c;
        if width == 2 {
            self.cells[x + 1] = WIDE_TAIL;
        }
    }

    fn title(&mut self, title: &Title) {
        for text in &title.texts {
            let length = text_width(text);
            let mut x = title.low;
            while x + length < title.high {
                if self.cells[x..=x + length + 1].iter().all(|&c| c == PLAIN) {
                    self.put(x, ' ', 1);
                    let mut end = x + 1;
                    for c in text.chars() {
                        let (c, width) = shown(c);
                        if width > 0 {
                            self.put(end, c, width);
                            end += width;
                        }
                    }
                    self.put(end, ' ', 1);
                    return;
                }
                x += 1;
            }
        }
    }

    /// Appends the row, trailing blanks trimmed, and leaves it blank for the next.
    fn write_out(&mut self, out: &mut String, lines: &[char]) {
        let start = out.len();
        let used = self
            .cells
            .iter()
            .rposition(|&c| c != 0)
            .map_or(0, |last| last + 1);
        let mut x = 0;
        while x < used {
            let blanks = blank_run(&self.cells[x..used]);
            push_blanks(out, blanks);
            x += blanks;
            let cell = self.cells[x];
            if cell & LINE != 0 {
                out.push(lines[usize::from(cell & (ARMS | DASHED))]);
            } else if cell & TEXT != 0 {
                out.push(self.chars[x]);
            }
            x += 1;
        }
        self.cells[..used].fill(0);
        let trimmed = out[start..].trim_end_matches(' ').len();
        out.truncate(start + trimmed);
        out.push('\n');
    }
}

/// How many blank cells `cells` starts with, looked at eight at a time.
fn blank_run(cells: &[u8]) -> usize {
    let mut chunks = cells.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight cells"));
        if word != 0 {
            return count + (word.trailing_zeros() / 8) as usize;
        }
        count += 8;
    }
    count + chunks.remainder().iter().take_while(|&&c| c == 0).count()
}

fn push_blanks(out: &mut String, count: usize) {
    const BLANKS: &str = "                                                                ";
    let mut left = count;
    while left > 0 {
        let run = left.min(BLANKS.len());
        out.push_str(&BLANKS[..run]);
        left -= run;
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
