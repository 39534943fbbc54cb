//! The function L-BFGS minimises: the regularised logistic loss over a sparse feature matrix and
//! its gradient, computed in one pass split over two threads.
//!
//! Per document: logits `z = W·x + b` from the non-zeros of its row, the loss and its
//! derivative `dz` (softmax or sigmoid), then `G += x·dzᵀ` back into the same rows of the
//! gradient. Weights are stored feature-major (the K weights of a term are adjacent) and terms
//! by falling document frequency, so the rows touched most stay in cache.

use std::sync::atomic::{AtomicBool, Ordering};

use linfa::dataset::Records;
use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::sparse::SparseRecords;

/// Row ranges the gradient is split into, each summed on its own thread. Fixed rather than the
/// thread count so that the model does not depend on the number of threads (floating-point
/// sums depend on the split); two matches the target machines' cores, and `evaluate` adds
/// exactly two.
pub(crate) const GRADIENT_CHUNKS: usize = 2;
const _: () = assert!(GRADIENT_CHUNKS == 2);

/// The targets in the shape the objective reads.
pub(crate) enum Targets<'a> {
    /// One class index per document.
    Classes(&'a [usize]),
    /// Documents × labels.
    Indicator(ArrayView2<'a, bool>),
}

impl Targets<'_> {
    /// Number of labels: `n_classes` if given, else the largest class index + 1.
    pub(crate) fn n_labels(&self, n_classes: Option<usize>) -> usize {
        match self {
            Targets::Classes(y) => n_classes.unwrap_or_else(|| y.iter().max().map_or(0, |m| m + 1)),
            Targets::Indicator(y) => y.ncols(),
        }
    }
}

/// Splits rows into `parts` contiguous ranges with about the same number of non-zeros.
pub(crate) fn row_chunks(x: &SparseRecords, parts: usize) -> Vec<(usize, usize)> {
    let indptr = x.matrix().indptr();
    let indptr = indptr.raw_storage();
    let n = x.nsamples();
    let nnz = x.nnz();
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for p in 1..=parts {
        let end = if p == parts {
            n
        } else {
            let target = nnz * p / parts;
            indptr.partition_point(|&v| v < target).min(n).max(start)
        };
        out.push((start, end));
        start = end;
    }
    out
}

/// The cost and gradient L-BFGS minimises.
pub(crate) struct Objective<'a> {
    pub(crate) x: &'a SparseRecords,
    pub(crate) targets: Targets<'a>,
    pub(crate) k: usize,
    pub(crate) d: usize,
    /// L2 weight on the averaged scale, 1/(C·n).
    pub(crate) alpha: f64,
    pub(crate) chunks: Vec<(usize, usize)>,
    pub(crate) cancel: &'a AtomicBool,
    /// The second row chunk's gradient accumulator, kept between evaluations (the first
    /// chunk accumulates straight into the caller's gradient).
    pub(crate) spare: Vec<f32>,
}

/// Training was cancelled during a pass.
#[derive(Debug)]
pub(crate) struct Cancelled;

impl Objective<'_> {
    /// The objective at `theta`, its gradient written to `grad`.
    pub(crate) fn evaluate(
        &mut self,
        theta: &[f32],
        grad: &mut Vec<f32>,
    ) -> Result<f64, Cancelled> {
        let n_w = self.d * self.k;
        let mut buffers = [std::mem::take(grad), std::mem::take(&mut self.spare)];
        let losses: Vec<Option<f64>> = self
            .chunks
            .par_iter()
            .zip(buffers.par_iter_mut())
            .map(|(&(start, end), buf)| self.partial(theta, start, end, buf))
            .collect();
        let [mut out, other] = buffers;
        let mut total_loss = 0.0;
        for loss in losses {
            total_loss += loss.ok_or(Cancelled)?;
        }
        // grad = (chunk 0 + chunk 1) / n + α·W, summed in f64, block by block on both cores;
        // ‖W‖² alongside.
        let inv_n = 1.0 / self.x.nsamples() as f64;
        let alpha = self.alpha;
        const BLOCK: usize = 1 << 15;
        let penalty: f64 = out
            .par_chunks_mut(BLOCK)
            .enumerate()
            .map(|(c, out)| {
                let lo = c * BLOCK;
                let hi = lo + out.len();
                let split = n_w.clamp(lo, hi) - lo; // weights before, intercepts after
                let (ow, ob) = out.split_at_mut(split);
                let (gw, gb) = other[lo..hi].split_at(split);
                let mut penalty = 0.0;
                for ((o, &g), &w) in ow.iter_mut().zip(gw).zip(&theta[lo..lo + split]) {
                    let w = w as f64;
                    *o = ((*o as f64 + g as f64) * inv_n + alpha * w) as f32;
                    penalty += w * w;
                }
                for (o, &g) in ob.iter_mut().zip(gb) {
                    *o = ((*o as f64 + g as f64) * inv_n) as f32;
                }
                penalty
            })
            .collect::<Vec<f64>>()
            .iter()
            .sum();
        *grad = out;
        self.spare = other;
        Ok(total_loss * inv_n + 0.5 * alpha * penalty)
    }

    /// Summed loss and (unscaled, unpenalised) gradient over rows `start..end`; `None` if
    /// cancelled meanwhile.
    fn partial(&self, theta: &[f32], start: usize, end: usize, grad: &mut Vec<f32>) -> Option<f64> {
        grad.clear();
        grad.resize(theta.len(), 0.0);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA, as just checked.
            return unsafe { self.partial_avx2(theta, start, end, grad) };
        }
        self.dispatch(theta, start, end, grad)
    }

    /// [`Objective::dispatch`] compiled for AVX2 + FMA: the default x86-64 target has only
    /// SSE2, and the per-non-zero loops over the labels are most of the training time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn partial_avx2(
        &self,
        theta: &[f32],
        start: usize,
        end: usize,
        grad: &mut [f32],
    ) -> Option<f64> {
        self.dispatch(theta, start, end, grad)
    }

    /// Picks a kernel with the label count known at compile time (so a document's logits live
    /// in registers) for up to 32 labels; a general one otherwise. With 30 labels the fixed
    /// kernel's passes took 0.6 of the general one's time (synth30-100k, side by side).
    #[inline(always)]
    fn dispatch(&self, theta: &[f32], start: usize, end: usize, grad: &mut [f32]) -> Option<f64> {
        macro_rules! fixed {
            ($($k:literal)*) => {
                match self.k {
                    $($k => self.kernel::<$k>(theta, start, end, grad),)*
                    _ => self.kernel_any(theta, start, end, grad),
                }
            };
        }
        fixed!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32)
    }

    #[inline(always)]
    fn kernel<const K: usize>(
        &self,
        theta: &[f32],
        start: usize,
        end: usize,
        grad: &mut [f32],
    ) -> Option<f64> {
        let d = self.d;
        let (w, b) = theta.split_at(d * K);
        let (gw, gb) = grad.split_at_mut(d * K);
        let b: &[f32; K] = b.try_into().expect("K intercepts");
        let all = self.x.matrix().indices();
        let mut loss = 0.0;
        for i in start..end {
            if (i - start).is_multiple_of(4096) && self.cancel.load(Ordering::Relaxed) {
                return None;
            }
            let (idx, val) = self.x.row(i);
            let first = self.x.matrix().indptr().outer_inds_sz(i).start;
            let mut z = *b;
            for (t, (&j, &v)) in idx.iter().zip(val).enumerate() {
                // Rows of rare terms miss the cache: ask for the weights a few non-zeros ahead
                // (across documents) and for this term's gradient row, written just below.
                if let Some(&ahead) = all.get(first + t + PREFETCH_AHEAD) {
                    prefetch(w, ahead as usize * K, K);
                }
                prefetch(gw, j as usize * K, K);
                let row: &[f32; K] = w[j as usize * K..][..K].try_into().expect("K weights");
                for c in 0..K {
                    z[c] += v * row[c];
                }
            }
            loss += self.loss_and_dz(i, &mut z);
            for (&j, &v) in idx.iter().zip(val) {
                let row: &mut [f32; K] = (&mut gw[j as usize * K..][..K]).try_into().expect("K");
                for c in 0..K {
                    row[c] += v * z[c];
                }
            }
            for c in 0..K {
                gb[c] += z[c];
            }
        }
        Some(loss)
    }

    #[inline(always)]
    fn kernel_any(&self, theta: &[f32], start: usize, end: usize, grad: &mut [f32]) -> Option<f64> {
        let (k, d) = (self.k, self.d);
        let (w, b) = theta.split_at(d * k);
        let (gw, gb) = grad.split_at_mut(d * k);
        let mut z = vec![0.0f32; k];
        let mut loss = 0.0;
        for i in start..end {
            if (i - start).is_multiple_of(4096) && self.cancel.load(Ordering::Relaxed) {
                return None;
            }
            let (idx, val) = self.x.row(i);
            z.copy_from_slice(b);
            for (&j, &v) in idx.iter().zip(val) {
                let row = &w[j as usize * k..(j as usize + 1) * k];
                z.iter_mut().zip(row).for_each(|(zc, &wc)| *zc += v * wc);
            }
            loss += self.loss_and_dz(i, &mut z);
            for (&j, &v) in idx.iter().zip(val) {
                let row = &mut gw[j as usize * k..(j as usize + 1) * k];
                row.iter_mut().zip(&z).for_each(|(g, &dz)| *g += v * dz);
            }
            gb.iter_mut().zip(&z).for_each(|(g, &dz)| *g += dz);
        }
        Some(loss)
    }

    /// Document i's loss from its logits `z`, which become dloss/dz in place.
    #[inline(always)]
    fn loss_and_dz(&self, i: usize, z: &mut [f32]) -> f64 {
        match &self.targets {
            Targets::Classes(y) => {
                let y = y[i];
                let max = z
                    .iter()
                    .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
                let zy = z[y];
                // Map then sum, in separate loops: the map vectorises across labels, the
                // ordered sum would not.
                z.iter_mut().for_each(|s| *s = exp_nonpositive(*s - max));
                let sum: f32 = z.iter().sum();
                let inv = 1.0 / sum;
                z.iter_mut().for_each(|s| *s *= inv);
                z[y] -= 1.0;
                max as f64 + (sum as f64).ln() - zy as f64
            }
            Targets::Indicator(y) => {
                let mut loss = 0.0;
                for (s, &t) in z.iter_mut().zip(y.row(i).iter()) {
                    let t = if t { 1.0 } else { 0.0 };
                    let v = *s as f64;
                    // log(1 + e^v) − t·v, computed without overflow.
                    loss += v.max(0.0) + (-v.abs()).exp().ln_1p() - t * v;
                    *s = (sigmoid(v) - t) as f32;
                }
                loss
            }
        }
    }
}

/// How many non-zeros ahead the gradient kernel prefetches weight rows.
const PREFETCH_AHEAD: usize = 12;

/// Hints the CPU to bring `slice[at..at + len]` into cache (the first and last element, which
/// covers a row of up to 16 labels); nothing outside the slice is touched.
#[inline(always)]
fn prefetch(slice: &[f32], at: usize, len: usize) {
    #[cfg(target_arch = "x86_64")]
    for p in [slice.get(at), slice.get(at + len - 1)]
        .into_iter()
        .flatten()
    {
        // SAFETY: a prefetch never faults and does not change memory; the address lies
        // inside `slice` anyway.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (p as *const f32).cast(),
            )
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, at, len);
}

/// `e^x` for `x ≤ 0` in single precision, without a libm call so that it vectorises across
/// labels: `x = n·ln2 + f` with n an integer and |f| ≤ ln2/2 (Cody–Waite: ln2 split in two so
/// that `n·ln2_hi` is exact), then `2^n` from the exponent bits times a degree-6 Taylor
/// polynomial of `e^f` (relative error about 1e-7, single precision's own rounding).
#[inline(always)]
fn exp_nonpositive(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_145_75;
    const LN2_LO: f32 = 1.428_606_8e-6;
    // Adding 1.5·2²³ rounds to an integer held in the low mantissa bits: n without a
    // float-to-int conversion, so the whole function is plain vector arithmetic.
    const SHIFTER: f32 = 12_582_912.0;
    let x = if x > -87.0 { x } else { -87.0 };
    let t = x * std::f32::consts::LOG2_E + SHIFTER;
    let n = t - SHIFTER;
    let f = (x - n * LN2_HI) - n * LN2_LO;
    let p = 1.0
        + f * (1.0
            + f * (1.0 / 2.0
                + f * (1.0 / 6.0 + f * (1.0 / 24.0 + f * (1.0 / 120.0 + f * (1.0 / 720.0))))));
    let n_bits = t.to_bits().wrapping_sub(SHIFTER.to_bits()); // n, two's complement
    f32::from_bits(n_bits.wrapping_add(127) << 23) * p
}

#[inline]
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::exp_nonpositive;

    #[test]
    fn fast_exp_is_accurate_to_single_precision() {
        let mut worst = 0.0f64;
        for i in 0..=200_000 {
            let x = -(i as f32) * 0.0005; // 0 down to -100
            let exact = (x as f64).exp();
            let rel = ((exp_nonpositive(x) as f64 - exact) / exact).abs();
            worst = worst.max(if exact < 1e-37 { 0.0 } else { rel });
        }
        assert!(worst < 5e-7, "relative error {worst}");
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert!(exp_nonpositive(-1000.0) >= 0.0 && exp_nonpositive(-1000.0) < 1e-37);
    }
}
