//! A grid of character cells. Lines are kept as arms (up, down, left, right) merged where
//! they meet, so a line meeting another makes a tee, and a crossing (all four arms) is
//! drawn as the line down passing over the one across; the characters are only chosen
//! when the grid is written out.

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
    /// The border to put it on when it does not fit in full on its own.
    or_row: Option<usize>,
    low: usize,
    high: usize,
    text: String,
    ellipsis: char,
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

    /// Places `text` on the border at `row`, with a blank either side, between columns
    /// `low` and `high` (both included), at the first place from the left where it covers
    /// only plain horizontal line; else in full on the border at `or_row` (below), if
    /// given; else shortened with `ellipsis` as far as it must be. Placed after all other
    /// text.
    pub fn title(
        &mut self,
        row: usize,
        or_row: Option<usize>,
        (low, high): (usize, usize),
        text: &str,
        ellipsis: char,
    ) {
        self.titles[row].push(Title {
            or_row,
            low,
            high,
            text: text.to_string(),
            ellipsis,
        });
    }

    /// Appends the drawing as lines of text, trailing blanks trimmed, each ending in a
    /// newline.
    pub fn write(&self, charset: Charset, out: &mut String) {
        let lines: Vec<String> = (0..=ARMS | DASHED)
            .map(|bits| repeated(charset.line(Arms::from_bits(bits), bits & DASHED != 0)))
            .collect();
        let mut down = self.down.clone();
        down.sort_unstable_by_key(|&(_, first, _, _)| first);
        let mut next_down = 0;
        let mut active: Vec<(usize, usize, usize, bool)> = Vec::new();
        let mut row = Row {
            cells: vec![0; self.width],
            chars: vec![' '; self.width],
        };
        out.reserve(self.bytes_at_most(&lines));
        // Titles that did not fit in full on their own border, by the row they try next.
        let mut moved: Vec<(usize, &Title)> = Vec::new();
        for y in 0..self.height {
            while next_down < down.len() && down[next_down].1 == y {
                active.push(down[next_down]);
                next_down += 1;
            }
            for &(x, first, last, dashed) in &active {
                row.add_arms(x, arms_along(y, first, last, Arms::UP, Arms::DOWN), dashed);
            }
            active.retain(|&(_, _, last, _)| last > y);
            for &(first, last, dashed) in &self.across[y] {
                for x in first..=last {
                    row.add_arms(
                        x,
                        arms_along(x, first, last, Arms::LEFT, Arms::RIGHT),
                        dashed,
                    );
                }
            }
            for &(x, c, width) in &self.text[y] {
                row.put(x, c, width);
            }
            for title in &self.titles[y] {
                match title.or_row.filter(|&other| other > y) {
                    Some(other) => {
                        if !row.place_title(&title.text, title) {
                            moved.push((other, title));
                        }
                    }
                    None => row.title(title),
                }
            }
            for (_, title) in moved.iter().filter(|(other, _)| *other == y) {
                row.title(title);
            }
            row.write_out(out, &lines);
        }
    }

    /// Room for the drawing written out: a byte a cell, plus the longer encodings of the
    /// characters drawn, so the text is never copied as it grows.
    fn bytes_at_most(&self, lines: &[String]) -> usize {
        let line_extra = lines
            .iter()
            .map(|run| run.len() / RUN - 1)
            .max()
            .unwrap_or(0);
        let across: usize = self
            .across
            .iter()
            .flatten()
            .map(|&(a, b, _)| b - a + 1)
            .sum();
        let down: usize = self.down.iter().map(|&(_, a, b, _)| b - a + 1).sum();
        let text: usize = self
            .text
            .iter()
            .flatten()
            .map(|&(_, c, _)| c.len_utf8())
            .sum();
        let titles: usize = self.titles.iter().flatten().map(|t| t.text.len() + 2).sum();
        (self.width + 1) * self.height + (across + down) * line_extra + text + titles
    }
}

/// The arms of the cell at `at` on a line from `first` to `last`: back towards the first
/// cell and on towards the last.
fn arms_along(at: usize, first: usize, last: usize, back: u8, on: u8) -> u8 {
    let mut arms = 0;
    if at > first {
        arms |= back;
    }
    if at < last {
        arms |= on;
    }
    arms
}

/// The row being written: a byte per cell and, for text cells, the character.
struct Row {
    cells: Vec<u8>,
    chars: Vec<char>,
}

impl Row {
    /// Adds arms to a line cell; text leaves it alone. A line passing across one that
    /// runs down (drawn first) leaves it as it is drawn, dashed or not.
    fn add_arms(&mut self, x: usize, arms: u8, dashed: bool) {
        const THROUGH: u8 = Arms::UP | Arms::DOWN;
        let cell = &mut self.cells[x];
        if *cell == 0 {
            *cell = LINE | arms | if dashed { DASHED } else { 0 };
        } else if *cell & LINE != 0 {
            let crossing = *cell & THROUGH == THROUGH && arms == Arms::LEFT | Arms::RIGHT;
            *cell |= arms;
            if !dashed && !crossing {
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
        let full = text_width(&title.text);
        let longest = title.high.saturating_sub(title.low + 1).min(full);
        for length in (1..=longest).rev() {
            let shortened;
            let text = if length == full {
                title.text.as_str()
            } else {
                shortened = shorten(&title.text, length, title.ellipsis);
                shortened.as_str()
            };
            if self.place_title(text, title) {
                return;
            }
        }
    }

    /// Writes ` text ` at the first place from the title's `low` where it covers only
    /// plain line and ends by its `high`; whether there was one.
    fn place_title(&mut self, text: &str, &Title { low, high, .. }: &Title) -> bool {
        let length = text_width(text);
        let Some(place) = (low..high.saturating_sub(length))
            .find(|&x| self.cells[x..=x + length + 1].iter().all(|&c| c == PLAIN))
        else {
            return false;
        };
        self.put(place, ' ', 1);
        let mut end = place + 1;
        for c in text.chars() {
            let (c, width) = shown(c);
            if width > 0 {
                self.put(end, c, width);
                end += width;
            }
        }
        self.put(end, ' ', 1);
        true
    }

    /// Appends the row, trailing blanks trimmed, and leaves it blank for the next.
    fn write_out(&mut self, out: &mut String, lines: &[String]) {
        let start = out.len();
        let used = self
            .cells
            .iter()
            .rposition(|&c| c != 0)
            .map_or(0, |last| last + 1);
        let mut x = 0;
        while x < used {
            let blanks = blank_run(&self.cells[x..used]);
            push_run(out, BLANKS, blanks);
            x += blanks;
            let cell = self.cells[x];
            if cell & LINE != 0 {
                let same = self.cells[x..used]
                    .iter()
                    .take_while(|&&c| c == cell)
                    .count();
                push_run(out, &lines[usize::from(cell & (ARMS | DASHED))], same);
                x += same;
            } else {
                if cell & TEXT != 0 {
                    out.push(self.chars[x]);
                }
                x += 1;
            }
        }
        self.cells[..used].fill(0);
        let trimmed = out[start..].trim_end_matches(' ').len();
        out.truncate(start + trimmed);
        out.push('\n');
    }
}

/// Characters copied out at once for a run of the same cell.
const RUN: usize = 64;
const BLANKS: &str = "                                                                ";

fn repeated(c: char) -> String {
    std::iter::repeat_n(c, RUN).collect()
}

/// Appends `count` copies of the character `run` repeats [`RUN`] times.
fn push_run(out: &mut String, run: &str, count: usize) {
    let char_len = run.len() / RUN;
    let mut left = count;
    while left > 0 {
        let now = left.min(RUN);
        out.push_str(&run[..now * char_len]);
        left -= now;
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

/// Text cut to `length` cells, its last cell an ellipsis.
fn shorten(text: &str, length: usize, ellipsis: char) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let width = shown(c).1;
        if used + width + 1 > length {
            break;
        }
        out.push(c);
        used += width;
    }
    out.push(ellipsis);
    out
}

/// Text as [`Grid::text`] writes it: control characters as `�`, no combining marks.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(shown)
        .filter(|&(_, width)| width > 0)
        .map(|(c, _)| c)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(grid: &Grid) -> String {
        let mut out = String::new();
        grid.write(Charset::Unicode, &mut out);
        out
    }

    #[test]
    fn meeting_lines_merge_into_junctions_and_crossing_ones_pass() {
        let mut grid = Grid::new(5, 3);
        grid.frame((0, 0), (4, 2));
        grid.line((2, 0), (2, 2), false);
        grid.line((0, 1), (4, 1), true);
        assert_eq!(written(&grid), "┌─┬─┐\n├┄│┄┤\n└─┴─┘\n");
    }

    #[test]
    fn dashed_lines_stay_dashed_only_where_nothing_solid_meets_them() {
        let mut grid = Grid::new(4, 2);
        grid.line((0, 0), (3, 0), true);
        grid.line((0, 1), (3, 1), true);
        grid.line((1, 1), (2, 1), false);
        assert_eq!(written(&grid), "┄┄┄┄\n┄──┄\n");
    }

    #[test]
    fn text_shows_over_lines_whenever_it_is_written() {
        let mut grid = Grid::new(6, 1);
        grid.text((1, 0), "ab");
        grid.line((0, 0), (5, 0), false);
        grid.put((5, 0), '▶');
        assert_eq!(written(&grid), "─ab──▶\n");
    }

    #[test]
    fn wide_characters_take_two_cells_and_trailing_blanks_are_trimmed() {
        let mut grid = Grid::new(8, 2);
        let end = grid.text((0, 0), "数据x");
        assert_eq!(end, 5);
        grid.put((1, 1), '|');
        assert_eq!(written(&grid), "数据x\n |\n");
    }

    #[test]
    fn a_title_goes_where_no_line_crosses_the_border_or_is_shortened() {
        let mut grid = Grid::new(16, 2);
        grid.line((0, 0), (15, 0), false);
        grid.line((4, 0), (4, 1), false);
        grid.title(0, None, (2, 14), "Title", '…');
        assert_eq!(written(&grid), "────┬ Title ────\n    │\n");

        let mut crowded = Grid::new(12, 2);
        crowded.line((0, 0), (11, 0), false);
        crowded.line((5, 0), (5, 1), false);
        crowded.title(0, None, (2, 10), "Title", '…');
        assert_eq!(written(&crowded), "─────┬ Ti… ─\n     │\n");
    }

    #[test]
    fn a_title_crowded_off_its_border_goes_in_full_on_the_other() {
        let mut grid = Grid::new(12, 3);
        grid.line((0, 0), (11, 0), false);
        grid.line((0, 2), (11, 2), false);
        grid.line((5, 0), (5, 1), false);
        grid.title(0, Some(2), (2, 10), "Title", '…');
        assert_eq!(written(&grid), "─────┬──────\n     │\n── Title ───\n");
    }
}
