//! Turning preprocessed features into the network's input tensors.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::preprocess::Features;

/// Where each categorical field's rows start in the shared embedding table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputLayout {
    /// Width of the numeric block.
    pub numeric_width: usize,
    /// Cardinality of each categorical field, out-of-vocabulary index included.
    pub cardinalities: Vec<usize>,
}

impl InputLayout {
    /// Offsets of the fields in the shared embedding table.
    fn offsets(&self) -> Vec<i64> {
        let mut offset = 0i64;
        self.cardinalities
            .iter()
            .map(|&cardinality| {
                let start = offset;
                offset += cardinality as i64;
                start
            })
            .collect()
    }

    /// Tensors for the given rows of `features`.
    ///
    /// # Shapes
    ///
    /// Returns `[rows, numeric_width]` and, when there are categorical fields,
    /// `[rows, fields]`.
    pub fn tensors(
        &self,
        features: &Features,
        rows: &[usize],
        device: &Device,
    ) -> (Tensor<2>, Option<Tensor<2, Int>>) {
        let width = self.numeric_width;
        let mut numeric = Vec::with_capacity(rows.len() * width);
        for &row in rows {
            numeric.extend_from_slice(&features.numeric[row * width..(row + 1) * width]);
        }
        let numeric = Tensor::from_data(TensorData::new(numeric, [rows.len(), width]), device);
        let fields = self.cardinalities.len();
        if fields == 0 {
            return (numeric, None);
        }
        let offsets = self.offsets();
        let mut categorical = Vec::with_capacity(rows.len() * fields);
        for &row in rows {
            let codes = &features.categorical[row * fields..(row + 1) * fields];
            categorical.extend(
                codes
                    .iter()
                    .zip(&offsets)
                    .map(|(code, offset)| code + offset),
            );
        }
        let data = TensorData::new(categorical, [rows.len(), fields]);
        (numeric, Some(Tensor::from_data(data, device)))
    }
}
