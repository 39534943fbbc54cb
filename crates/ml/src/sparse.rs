//! [`SparseRecords`]: linfa's `Records` over a `sprs` CSR matrix, the feature matrix the models
//! train and predict on.
//!
//! Values are `f32` and column indices `u32`: a 1,000,000-document TF-IDF matrix has about
//! 50 million non-zeros, 400 MB this way against 800 MB with `CsMat<f64>`'s `usize` indices.

use sprs::CsMatI;

/// The CSR matrix type used for features: rows are documents, columns are vocabulary terms.
pub type FeatureMatrix = CsMatI<f32, u32, usize>;

/// A feature matrix usable as linfa records (`DatasetBase<SparseRecords, _>`).
#[derive(Debug, Clone)]
pub struct SparseRecords(pub FeatureMatrix);

impl SparseRecords {
    /// The matrix.
    pub fn matrix(&self) -> &FeatureMatrix {
        &self.0
    }

    /// Row `i` as (column indices, values).
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let range = self.0.indptr().outer_inds_sz(i);
        (&self.0.indices()[range.clone()], &self.0.data()[range])
    }

    /// Number of stored non-zeros.
    pub fn nnz(&self) -> usize {
        self.0.nnz()
    }
}

impl linfa::dataset::Records for SparseRecords {
    type Elem = f32;

    fn nsamples(&self) -> usize {
        self.0.rows()
    }

    fn nfeatures(&self) -> usize {
        self.0.cols()
    }
}
