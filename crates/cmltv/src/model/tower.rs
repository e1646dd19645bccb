//! A head tower: one hidden ReLU layer and a linear output.

use burn::nn::{Linear, LinearConfig, Relu};
use burn::prelude::*;

/// `output(ReLU(hidden(h)))`.
#[derive(Module, Debug)]
pub struct Tower {
    hidden: Linear,
    activation: Relu,
    output: Linear,
}

impl Tower {
    /// A tower from `input` features through `hidden` units to `outputs` values.
    pub fn new(input: usize, hidden: usize, outputs: usize, device: &Device) -> Self {
        Tower {
            hidden: LinearConfig::new(input, hidden).init(device),
            activation: Relu::new(),
            output: LinearConfig::new(hidden, outputs).init(device),
        }
    }

    /// # Shapes
    ///
    /// `h`: `[N, input]`; output `[N, outputs]`.
    pub fn forward(&self, h: Tensor<2>) -> Tensor<2> {
        self.output
            .forward(self.activation.forward(self.hidden.forward(h)))
    }
}
