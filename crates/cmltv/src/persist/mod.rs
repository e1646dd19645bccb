//! A model on disk: a directory written atomically.
//!
//! ```text
//! MODEL_DIR/
//!   manifest.json        format name and version, cmltv version, sha256 of every other file
//!   config.toml          the training configuration
//!   model.json           label and id columns, view parameters, input layout, training history
//!   preprocessing.json   the fitted preprocessing
//!   weights.safetensors  the network's weights (SafeTensors, tensor names = module paths)
//! ```
//!
//! Saving writes everything into a temporary directory beside the target and renames it into
//! place, so a failed save leaves any earlier model untouched. Loading checks the format version
//! and every checksum before it reads a weight.

mod atomic;

pub use atomic::write_dir;

use std::collections::BTreeMap;
use std::path::Path;

use burn::prelude::*;
use burn::store::{ModuleSnapshot, SafetensorsStore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{CmltvModel, InputLayout, LtvNetwork, ModelSchema, ViewParameters};
use crate::preprocess::Preprocessor;
use crate::score::Calibration;
use crate::train::{TrainConfig, TrainingHistory};

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 2;

const FORMAT_NAME: &str = "cmltv-model";
const MANIFEST: &str = "manifest.json";
const CONFIG: &str = "config.toml";
const MODEL: &str = "model.json";
const PREPROCESSING: &str = "preprocessing.json";
const WEIGHTS: &str = "weights.safetensors";

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    format_version: u32,
    cmltv_version: String,
    sha256: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ModelFile {
    schema: ModelSchema,
    views: ViewParameters,
    layout: InputLayout,
    history: TrainingHistory,
    calibration: Option<Calibration>,
}

impl CmltvModel {
    /// Writes the model to `dir` atomically, replacing a model already there.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the directory cannot be written.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let files = self.files(dir)?;
        atomic::write_dir(dir, &files)
    }

    /// Reads a model written by [`CmltvModel::save`].
    ///
    /// # Errors
    ///
    /// [`Error::Io`] for a missing directory or file, [`Error::IncompatibleModel`] for another
    /// format version, [`Error::CorruptModel`] for a checksum mismatch or unreadable content.
    pub fn load(dir: &Path) -> Result<CmltvModel> {
        let manifest: Manifest = parse_json(dir, MANIFEST, &read(dir, MANIFEST)?)?;
        if manifest.format != FORMAT_NAME || manifest.format_version != FORMAT_VERSION {
            return Err(Error::IncompatibleModel {
                path: dir.join(MANIFEST),
                found: format!("{} {}", manifest.format, manifest.format_version),
                expected: format!("{FORMAT_NAME} {FORMAT_VERSION}"),
            });
        }
        let mut contents = BTreeMap::new();
        for name in [CONFIG, MODEL, PREPROCESSING, WEIGHTS] {
            let bytes = read(dir, name)?;
            let expected = manifest.sha256.get(name).map(String::as_str);
            if expected != Some(sha256_hex(&bytes).as_str()) {
                return Err(corrupt(dir, name, "its sha256 does not match the manifest"));
            }
            contents.insert(name, bytes);
        }
        let text = String::from_utf8_lossy(&contents[CONFIG]).into_owned();
        let config: TrainConfig =
            toml::from_str(&text).map_err(|e| corrupt(dir, CONFIG, &e.to_string()))?;
        let model: ModelFile = parse_json(dir, MODEL, &contents[MODEL])?;
        let preprocessor: Preprocessor = parse_json(dir, PREPROCESSING, &contents[PREPROCESSING])?;
        let mut network = LtvNetwork::new(
            model.views.model_type,
            &config.model,
            &model.layout,
            model.views.buckets.len(),
            &Device::flex(),
        );
        let weights = contents.remove(WEIGHTS).expect("weights were read above");
        let mut store = SafetensorsStore::from_bytes(Some(weights));
        network
            .load_from(&mut store)
            .map_err(|e| corrupt(dir, WEIGHTS, &e.to_string()))?;
        Ok(CmltvModel {
            network,
            preprocessor,
            schema: model.schema,
            config,
            views: model.views,
            layout: model.layout,
            history: model.history,
            calibration: model.calibration,
        })
    }

    /// The model's files, manifest last.
    fn files(&self, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>> {
        let config = toml::to_string(&self.config).map_err(|e| Error::Format {
            path: dir.join(CONFIG),
            message: e.to_string(),
        })?;
        let model = ModelFile {
            schema: self.schema.clone(),
            views: self.views.clone(),
            layout: self.layout.clone(),
            history: self.history.clone(),
            calibration: self.calibration.clone(),
        };
        let mut store = SafetensorsStore::from_bytes(None);
        let weights = self
            .network
            .save_into(&mut store)
            .and_then(|()| store.get_bytes())
            .map_err(|e| Error::Format {
                path: dir.join(WEIGHTS),
                message: e.to_string(),
            })?;
        let mut files = vec![
            (CONFIG, config.into_bytes()),
            (MODEL, to_json(&model)),
            (PREPROCESSING, to_json(&self.preprocessor)),
            (WEIGHTS, weights),
        ];
        let manifest = Manifest {
            format: FORMAT_NAME.to_string(),
            format_version: FORMAT_VERSION,
            cmltv_version: env!("CARGO_PKG_VERSION").to_string(),
            sha256: files
                .iter()
                .map(|(name, bytes)| (name.to_string(), sha256_hex(bytes)))
                .collect(),
        };
        files.push((MANIFEST, to_json(&manifest)));
        Ok(files)
    }
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("model metadata is plain data that serializes")
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| Error::io(path, e))
}

fn parse_json<T: for<'de> Deserialize<'de>>(dir: &Path, name: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(dir, name, &e.to_string()))
}

fn corrupt(dir: &Path, name: &str, reason: &str) -> Error {
    Error::CorruptModel {
        path: dir.join(name),
        reason: reason.to_string(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
