use std::path::PathBuf;

/// Generation could not run, or its output could not be written. A plugin
/// that fails is a finding ([`crate::Report::findings`]), not an error.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("{file}:{line}: `clean` would delete the input directory itself (`out: .`)")]
    CleanRoot { file: String, line: usize },
    /// A directory inside `out` is a symbolic link leading out of it.
    #[error("`{}` leads outside the output directory `{}` (a symbolic link)", path.display(), out.display())]
    OutsideOutput { path: PathBuf, out: PathBuf },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl CodegenError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            CodegenError::CleanRoot { .. } => {
                Some("give the plugin its own output directory, or remove `clean: true`".to_owned())
            }
            CodegenError::Write { .. } => {
                Some("check that the output directory is writable".to_owned())
            }
            CodegenError::OutsideOutput { .. } => Some(
                "replace the symbolic link with a directory; schemactl writes and removes files only inside `out`"
                    .to_owned(),
            ),
            CodegenError::Read { .. } => None,
        }
    }
}
