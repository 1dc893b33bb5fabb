//! `schemactl hook install`: write a git pre-push hook that runs
//! `schemactl check` on what is being pushed and refuses the push when it
//! fails.

use std::path::{Path, PathBuf};

use schemactl_source::GitRepo;

use crate::args::{HookCommand, HookInstallArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

/// The line that marks a hook as schemactl's own: one that has it is
/// replaced by `hook install`, one that does not is left alone unless
/// `--force` is given.
pub const MARKER: &str = "# schemactl-hook: written by `schemactl hook install`";

pub fn run(command: &HookCommand, out: &Output) -> Result<Outcome, Failure> {
    match command {
        HookCommand::Install(args) => install(args, out),
    }
}

fn install(args: &HookInstallArgs, out: &Output) -> Result<Outcome, Failure> {
    let input = Path::new(&args.input);
    if !input.is_dir() {
        return Err(
            Failure::new(format!("input `{}` is not a directory", args.input)).hint(Some(
                "pass the schema directory inside the git repository, as `schemactl check` \
                 takes it"
                    .to_owned(),
            )),
        );
    }
    let repo = GitRepo::discover(input)?;
    if repo.is_bare() {
        return Err(Failure::new(format!(
            "`{}` is a bare repository: there is nothing to push from",
            repo.path().display()
        ))
        .hint(Some(
            "run `schemactl hook install` in a clone with a working tree".to_owned(),
        )));
    }
    // Hooks run at the top of the working tree: name INPUT from there.
    let relative = repo.relative_dir(input)?;
    let relative = if relative.is_empty() {
        ".".to_owned()
    } else {
        relative
    };
    let hooks = repo.hooks_dir()?;
    let hook = hooks.join("pre-push");
    let shown = shown_path(repo.path(), &hook);

    // What happens to the hook already there: none, schemactl's own
    // (updated), or another one (replaced, with --force only).
    let verb = match std::fs::read(&hook) {
        Ok(existing) => {
            let ours = String::from_utf8_lossy(&existing)
                .lines()
                .any(|l| l == MARKER);
            if !ours && !args.force {
                return Err(Failure::new(format!(
                    "`{shown}` exists and was not written by schemactl: not replaced"
                ))
                .hint(Some(format!(
                    "add `schemactl check {relative}` to that hook yourself, or run \
                     `schemactl hook install --force` to replace it"
                ))));
            }
            if ours { "updated" } else { "replaced" }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "installed",
        Err(e) => return Err(Failure::new(format!("cannot read `{shown}`: {e}"))),
    };

    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok());
    let script = script(binary.as_deref(), &relative);
    std::fs::create_dir_all(&hooks)
        .map_err(|e| Failure::new(format!("cannot create `{}`: {e}", hooks.display())))?;
    // Write beside the hook and rename, so a push running meanwhile never
    // sees half a script.
    let temporary = hooks.join(".pre-push.schemactl-tmp");
    std::fs::write(&temporary, script)
        .and_then(|()| make_executable(&temporary))
        .and_then(|()| std::fs::rename(&temporary, &hook))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            Failure::new(format!("cannot write `{shown}`: {e}"))
        })?;
    out.line(&format!(
        "{verb} pre-push hook `{shown}`: `git push` now runs `schemactl check {relative}` first"
    ))?;
    Ok(Outcome::Clean)
}

/// The hook's path relative to the top of the working tree when it is
/// inside it (`.git/hooks/pre-push`), else as it is.
fn shown_path(top: &Path, hook: &Path) -> String {
    let top = top.canonicalize().unwrap_or_else(|_| top.to_path_buf());
    let parent = hook.parent().and_then(|p| p.canonicalize().ok());
    let hook: PathBuf = match (parent, hook.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => hook.to_path_buf(),
    };
    hook.strip_prefix(&top)
        .unwrap_or(&hook)
        .display()
        .to_string()
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> std::io::Result<()> {
    // Git for Windows runs hooks through its own sh; no mode bit to set.
    Ok(())
}

/// `text` as one sh word, in single quotes.
fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The pre-push hook: `binary` is the schemactl that installed it (used when
/// it still exists, else `schemactl` on PATH), `input` the schema directory
/// relative to the top of the working tree.
fn script(binary: Option<&Path>, input: &str) -> String {
    let binary = binary
        .map(|p| sh_quote(&p.display().to_string()))
        .unwrap_or_else(|| "''".to_owned());
    let input = sh_quote(input);
    format!(
        r#"#!/bin/sh
{MARKER}
# Run `schemactl hook install` again to update this hook; delete it to remove.
#
# Before a push, every commit being pushed is checked as it is in that commit
# (not the working tree) with `schemactl check INPUT --ref COMMIT`: compile,
# lint, topic rules, breaking changes and generated code. Breaking changes are
# compared with what `check` compares with by default, the latest release tag
# (vX.Y.Z) reachable from HEAD: the right base before a push, since what is
# pushed must stay compatible with what was released, whatever the branch
# holds in between. With no release yet, breaking checks are skipped.
# The push is refused when a check fails; `git push --no-verify` skips this.

schemactl={binary}
if [ -z "$schemactl" ] || [ ! -x "$schemactl" ]; then
    schemactl=schemactl
fi
input={input}

status=0
# stdin: one line per ref pushed, `<local ref> <local sha> <remote ref> <remote sha>`.
while read -r local_ref local_sha _remote_ref _remote_sha; do
    # A deleted branch or tag: nothing to check.
    case "$local_sha" in
        *[!0]*) ;;
        *) continue ;;
    esac
    # The findings go to stderr with the rest of git's messages; stdin is
    # the list of refs, not schemactl's.
    if ! "$schemactl" check "$input" --ref "$local_sha" </dev/null >&2; then
        echo "error: schemactl check failed on $local_ref: push refused" >&2
        echo "hint: fix the findings above and commit, or push with \`git push --no-verify\` to skip the check" >&2
        status=1
    fi
done
exit $status
"#
    )
}
