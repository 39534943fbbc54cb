//! [`Params`]: the parameter and gradient vector handed to argmin's L-BFGS.
//!
//! argmin-math's `ndarray` implementation does every vector operation on one thread; with a
//! million parameters (100k terms × 10 labels) and a history of 10, L-BFGS's two-loop recursion
//! alone streams about a gigabyte per iteration and cost more than the gradient. This type
//! implements the same argmin-math traits with operations spread over rayon's threads.
//! Reductions (dot products, norms) add fixed-size blocks in a fixed order, so results do not
//! depend on scheduling or on the number of threads.
//!
//! Elements are stored as `f32`, scalars and sums are `f64`. The vector algebra is bound by
//! memory bandwidth (the history does not fit in cache), so halving the bytes halves its time;
//! single precision is ample for weights whose effect is read through a 0.5 threshold or an
//! argmax, and the objective itself is still summed in `f64`.

use std::cell::RefCell;

use argmin_math::{
    ArgminAdd, ArgminDot, ArgminL1Norm, ArgminL2Norm, ArgminMinMax, ArgminMul, ArgminScaledAdd,
    ArgminSignum, ArgminSub, ArgminZeroLike,
};
use rayon::prelude::*;

/// Elements per parallel work unit.
const BLOCK: usize = 1 << 15;
/// Vectors shorter than this are processed on the calling thread: forking costs more than it
/// saves on them.
const PARALLEL_MIN: usize = 1 << 18;

/// Vectors at least this long are recycled through the pool.
const POOL_MIN: usize = 1 << 12;
/// At most this many spare vectors are kept per thread (L-BFGS with history m holds 2m + a few).
const POOL_MAX: usize = 32;

thread_local! {
    /// Spare buffers. argmin's vector algebra allocates a fresh vector per operation and frees
    /// one soon after; glibc hands blocks this large back to the kernel and then page-faults
    /// them in again, which cost about a tenth of the fit. Reusing them avoids both.
    static POOL: RefCell<Vec<Vec<f32>>> = const { RefCell::new(Vec::new()) };
}

/// An empty vector with room for `len` elements, from the pool when one fits.
pub(crate) fn take(len: usize) -> Vec<f32> {
    if len >= POOL_MIN
        && let Some(v) = POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            let at = pool.iter().position(|v| v.capacity() >= len)?;
            Some(pool.swap_remove(at))
        })
    {
        return v;
    }
    Vec::with_capacity(len)
}

/// Frees this thread's spare buffers (called when a fit ends, so nothing stays allocated).
pub fn release_pool() {
    POOL.with(|pool| pool.borrow_mut().clear());
}

/// A dense vector (parameters or gradient).
#[derive(Debug, PartialEq, Default)]
pub struct Params(pub Vec<f32>);

impl Drop for Params {
    fn drop(&mut self) {
        if self.0.capacity() >= POOL_MIN {
            let mut v = std::mem::take(&mut self.0);
            v.clear();
            POOL.with(|pool| {
                let mut pool = pool.borrow_mut();
                if pool.len() < POOL_MAX {
                    pool.push(v);
                }
            });
        }
    }
}

impl Clone for Params {
    fn clone(&self) -> Self {
        let mut v = take(self.0.len());
        v.extend_from_slice(&self.0);
        Params(v)
    }
}

impl Params {
    /// A vector of `n` zeros.
    pub fn zeros(n: usize) -> Self {
        let mut v = take(n);
        v.resize(n, 0.0);
        Params(v)
    }

    /// Wraps a vector.
    pub fn from_vec(v: Vec<f32>) -> Self {
        Params(v)
    }

    /// The values.
    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    fn map(&self, f: impl Fn(f64) -> f64 + Sync + Send) -> Params {
        let f = |a: &f32| f(*a as f64) as f32;
        let mut out = take(self.0.len());
        if self.0.len() < PARALLEL_MIN {
            out.extend(self.0.iter().map(f));
        } else {
            self.0
                .par_iter()
                .with_min_len(BLOCK)
                .map(f)
                .collect_into_vec(&mut out);
        }
        Params(out)
    }

    fn zip(&self, other: &Params, f: impl Fn(f64, f64) -> f64 + Sync + Send) -> Params {
        let f = |(a, b): (&f32, &f32)| f(*a as f64, *b as f64) as f32;
        assert_eq!(self.0.len(), other.0.len(), "vector lengths differ");
        let mut out = take(self.0.len());
        if self.0.len() < PARALLEL_MIN {
            out.extend(self.0.iter().zip(&other.0).map(f));
        } else {
            self.0
                .par_iter()
                .zip(&other.0)
                .with_min_len(BLOCK)
                .map(f)
                .collect_into_vec(&mut out);
        }
        Params(out)
    }

    /// Σ f(aᵢ, bᵢ), added per block and then over blocks in order.
    fn reduce(&self, other: &Params, f: impl Fn(f64, f64) -> f64 + Sync + Send) -> f64 {
        assert_eq!(self.0.len(), other.0.len(), "vector lengths differ");
        let block = |(a, b): (&[f32], &[f32])| -> f64 {
            // Eight independent accumulators let the compiler vectorise the sum.
            let mut acc = [0.0f64; 8];
            let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
            let (ra, rb) = (ca.remainder(), cb.remainder());
            for (x, y) in ca.zip(cb) {
                for l in 0..8 {
                    acc[l] += f(x[l] as f64, y[l] as f64);
                }
            }
            let tail: f64 = ra
                .iter()
                .zip(rb)
                .map(|(&x, &y)| f(x as f64, y as f64))
                .sum();
            acc.iter().sum::<f64>() + tail
        };
        let partial: Vec<f64> = if self.0.len() < PARALLEL_MIN {
            vec![block((&self.0, &other.0))]
        } else {
            self.0
                .par_chunks(BLOCK)
                .zip(other.0.par_chunks(BLOCK))
                .map(block)
                .collect()
        };
        partial.iter().sum()
    }
}

impl ArgminAdd<Params, Params> for Params {
    fn add(&self, other: &Params) -> Params {
        self.zip(other, |a, b| a + b)
    }
}

impl ArgminAdd<f64, Params> for Params {
    fn add(&self, other: &f64) -> Params {
        let s = *other;
        self.map(|a| a + s)
    }
}

impl ArgminSub<Params, Params> for Params {
    fn sub(&self, other: &Params) -> Params {
        self.zip(other, |a, b| a - b)
    }
}

impl ArgminSub<f64, Params> for Params {
    fn sub(&self, other: &f64) -> Params {
        let s = *other;
        self.map(|a| a - s)
    }
}

impl ArgminMul<f64, Params> for Params {
    fn mul(&self, other: &f64) -> Params {
        let s = *other;
        self.map(|a| a * s)
    }
}

impl ArgminMul<Params, Params> for Params {
    fn mul(&self, other: &Params) -> Params {
        self.zip(other, |a, b| a * b)
    }
}

impl ArgminScaledAdd<Params, f64, Params> for Params {
    fn scaled_add(&self, factor: &f64, vec: &Params) -> Params {
        let s = *factor;
        self.zip(vec, |a, b| a + s * b)
    }
}

impl ArgminDot<Params, f64> for Params {
    fn dot(&self, other: &Params) -> f64 {
        self.reduce(other, |a, b| a * b)
    }
}

impl ArgminL1Norm<f64> for Params {
    fn l1_norm(&self) -> f64 {
        self.reduce(self, |a, _| a.abs())
    }
}

impl ArgminL2Norm<f64> for Params {
    fn l2_norm(&self) -> f64 {
        self.reduce(self, |a, _| a * a).sqrt()
    }
}

impl ArgminSignum for Params {
    fn signum(self) -> Params {
        self.map(f64::signum)
    }
}

impl ArgminZeroLike for Params {
    fn zero_like(&self) -> Params {
        Params::zeros(self.0.len())
    }
}

impl ArgminMinMax for Params {
    fn min(x: &Self, y: &Self) -> Self {
        x.zip(y, f64::min)
    }

    fn max(x: &Self, y: &Self) -> Self {
        x.zip(y, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_match_plain_loops() {
        let n = 3 * BLOCK + 5; // exercises the parallel path and the remainders
        let a = Params((0..n).map(|i| (i as f32 * 0.37).sin()).collect());
        let b = Params((0..n).map(|i| (i as f32 * 0.11).cos()).collect());
        let dot: f64 =
            a.0.iter()
                .zip(&b.0)
                .map(|(&x, &y)| x as f64 * y as f64)
                .sum();
        assert!((a.dot(&b) - dot).abs() < 1e-9);
        assert_eq!(a.add(&b).0[n - 1], a.0[n - 1] + b.0[n - 1]);
        assert_eq!(a.scaled_add(&2.0, &b).0[7], a.0[7] + 2.0 * b.0[7]);
        assert!((a.l2_norm() - a.dot(&a).sqrt()).abs() < 1e-12);
        assert_eq!(a.dot(&b), a.dot(&b), "deterministic");
    }
}
