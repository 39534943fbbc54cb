//! Constrained Viterbi decoding: the highest-scoring label sequence among those the tag scheme
//! allows (no `O → I-k`, no `B-j → I-k`, no leading `I-k`).

use crate::crf::Layout;
use crate::tags;

/// The best label sequence for raw state scores `scores` (`n × l`) under weights `w`.
pub(crate) fn decode(scores: &[f64], layout: &Layout, w: &[f64]) -> Vec<u16> {
    let l = layout.n_labels;
    let n = scores.len() / l;
    if n == 0 {
        return Vec::new();
    }
    let trans = |i: usize, j: usize| {
        if tags::allowed(i as u16, j as u16) {
            w[layout.trans + i * l + j]
        } else {
            f64::NEG_INFINITY
        }
    };
    let mut delta: Vec<f64> = (0..l)
        .map(|y| {
            if tags::allowed_first(y as u16) {
                w[layout.start + y] + scores[y]
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect();
    let mut back = vec![0u16; n * l];
    let mut next = vec![0.0; l];
    for t in 1..n {
        for j in 0..l {
            let (mut best, mut arg) = (f64::NEG_INFINITY, 0);
            for (i, &d) in delta.iter().enumerate() {
                let s = d + trans(i, j);
                if s > best {
                    (best, arg) = (s, i);
                }
            }
            next[j] = best + scores[t * l + j];
            back[t * l + j] = arg as u16;
        }
        std::mem::swap(&mut delta, &mut next);
    }
    let mut y = (0..l)
        .max_by(|&a, &b| (delta[a] + w[layout.end + a]).total_cmp(&(delta[b] + w[layout.end + b])))
        .unwrap_or(0);
    let mut path = vec![0u16; n];
    for t in (0..n).rev() {
        path[t] = y as u16;
        y = back[t * l + y] as usize;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_enters_inside_from_outside() {
        // One type: labels O, B, I. The state scores favour I everywhere, but I may only
        // follow B, so the best allowed path starts with B.
        let layout = Layout::new(0, 3);
        let w = vec![0.0; layout.len];
        let scores = [0.0, 1.0, 5.0, 0.0, 1.0, 5.0];
        assert_eq!(decode(&scores, &layout, &w), [1, 2]);
    }
}
