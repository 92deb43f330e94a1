//! Edge labels. A labelled edge crosses one rank through a label node: the edge runs down
//! the node's lane and the text sits beside it, in room the position stage reserved, so a
//! label can touch no box, no other label and no edge.

use super::position::Span;
use super::{Direction, Size};

/// Room between the lane and the text.
const GAP: f64 = 4.0;

/// The label node's span along its rank, and its size across the rank.
pub fn node_span(text: Size, lane: f64, direction: Direction) -> (Span, f64) {
    let (along, across) = match direction {
        Direction::Down => (text.w, text.h),
        Direction::Right => (text.h, text.w),
    };
    (
        Span {
            size: lane + GAP + along,
            anchor: lane / 2.0,
        },
        across,
    )
}

/// Where the text goes, along the rank, given the label node's start.
pub fn text_start(node_start: f64, lane: f64) -> f64 {
    node_start + lane + GAP
}
