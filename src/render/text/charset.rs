//! The glyphs of each character set: which character draws a line cell with a given set
//! of arms, and the arrowheads.

use super::grid::{Arms, Heading};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charset {
    /// Box-drawing characters and triangles, as in the guide's diagrams.
    #[default]
    Unicode,
    /// `+ - | > v` only, for places that mangle anything else.
    Ascii,
}

impl Charset {
    /// The character for a line cell; `dashed` draws a straight piece of an async flow.
    pub fn line(self, arms: Arms, dashed: bool) -> char {
        match self {
            Charset::Unicode => unicode_line(arms, dashed),
            Charset::Ascii => ascii_line(arms, dashed),
        }
    }

    pub fn arrow(self, heading: Heading) -> char {
        match (self, heading) {
            (Charset::Unicode, Heading::Up) => '▲',
            (Charset::Unicode, Heading::Down) => '▼',
            (Charset::Unicode, Heading::Left) => '◀',
            (Charset::Unicode, Heading::Right) => '▶',
            (Charset::Ascii, Heading::Up) => '^',
            (Charset::Ascii, Heading::Down) => 'v',
            (Charset::Ascii, Heading::Left) => '<',
            (Charset::Ascii, Heading::Right) => '>',
        }
    }

    /// Marks text cut short.
    pub fn ellipsis(self) -> char {
        match self {
            Charset::Unicode => '…',
            Charset::Ascii => '~',
        }
    }

    pub fn times(self) -> char {
        match self {
            Charset::Unicode => '×',
            Charset::Ascii => 'x',
        }
    }
}

fn unicode_line(arms: Arms, dashed: bool) -> char {
    let (up, down, left, right) = (arms.up(), arms.down(), arms.left(), arms.right());
    match (up, down, left, right) {
        (true, true, true, false) => '┤',
        (true, true, false, true) => '├',
        (true, false, true, true) => '┴',
        (false, true, true, true) => '┬',
        (false, true, false, true) => '┌',
        (false, true, true, false) => '┐',
        (true, false, false, true) => '└',
        (true, false, true, false) => '┘',
        // Also a crossing: the line across passes under, so it is not read as a junction.
        (true, true, _, _) | (_, _, false, false) if dashed => '┆',
        (true, true, _, _) | (_, _, false, false) => '│',
        _ if dashed => '┄',
        _ => '─',
    }
}

fn ascii_line(arms: Arms, dashed: bool) -> char {
    let vertical = arms.up() || arms.down();
    let horizontal = arms.left() || arms.right();
    let through = arms.bits() == Arms::ALL;
    match (vertical, horizontal) {
        // A crossing, as in Unicode: the line across passes under.
        (true, true) if through && dashed => ':',
        (true, true) if through => '|',
        (true, true) => '+',
        (true, false) if dashed => ':',
        (true, false) => '|',
        (false, _) if dashed => '.',
        (false, _) => '-',
    }
}

/// The arms a Unicode line character stands for, to read a drawing back.
pub fn unicode_arms(c: char) -> Option<(Arms, bool)> {
    let (bits, dashed) = match c {
        '┤' => (Arms::UP | Arms::DOWN | Arms::LEFT, false),
        '├' => (Arms::UP | Arms::DOWN | Arms::RIGHT, false),
        '┴' => (Arms::UP | Arms::LEFT | Arms::RIGHT, false),
        '┬' => (Arms::DOWN | Arms::LEFT | Arms::RIGHT, false),
        '┌' => (Arms::DOWN | Arms::RIGHT, false),
        '┐' => (Arms::DOWN | Arms::LEFT, false),
        '└' => (Arms::UP | Arms::RIGHT, false),
        '┘' => (Arms::UP | Arms::LEFT, false),
        '│' => (Arms::UP | Arms::DOWN, false),
        '┆' => (Arms::UP | Arms::DOWN, true),
        '─' => (Arms::LEFT | Arms::RIGHT, false),
        '┄' => (Arms::LEFT | Arms::RIGHT, true),
        _ => return None,
    };
    Some((Arms::from_bits(bits), dashed))
}

/// The heading of a Unicode arrowhead.
pub fn unicode_heading(c: char) -> Option<Heading> {
    match c {
        '▲' => Some(Heading::Up),
        '▼' => Some(Heading::Down),
        '◀' => Some(Heading::Left),
        '▶' => Some(Heading::Right),
        _ => None,
    }
}
