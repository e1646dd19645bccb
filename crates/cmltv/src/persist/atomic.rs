//! Writing a directory so that readers see either the old one or the complete new one.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `files` into a fresh temporary directory beside `dir`, then renames it onto `dir`.
/// An existing `dir` is moved aside first and removed only once the new one is in place.
pub fn write_dir(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<()> {
    let parent = parent_of(dir);
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".cmltv-model-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    for (name, bytes) in files {
        let path = staging.path().join(name);
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    if dir.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".cmltv-old-")
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        let old = aside.path().join("model");
        fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
        if let Err(e) = fs::rename(staging.path(), dir) {
            // Put the previous model back before reporting the failure.
            let _ = fs::rename(&old, dir);
            return Err(Error::io(dir, e));
        }
        drop(aside);
    } else {
        fs::rename(staging.path(), dir).map_err(|e| Error::io(dir, e))?;
    }
    // The staging directory now lives at `dir`; forget it so its guard removes nothing.
    let _ = staging.keep();
    Ok(())
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
