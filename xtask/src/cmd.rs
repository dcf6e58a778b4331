//! Running the programs a task is made of. Each command is printed as a shell line before it runs, with the
//! environment it adds, so a task's output can be replayed by hand; a command that fails ends the task.

use std::{
    ffi::OsStr,
    process::{Command, Stdio},
};

use anyhow::{bail, Context, Result};

/// Prints `cmd`, then runs it with the terminal's output and no input (CI has none), failing when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let line = echo(cmd);
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Prints `cmd`, runs it like [`run`] and returns what it printed on stdout.
pub fn output(cmd: &mut Command) -> Result<String> {
    let line = echo(cmd);
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("could not start `{line}`"))?;
    if !output.status.success() {
        bail!("`{line}` failed ({})", output.status);
    }
    String::from_utf8(output.stdout)
        .with_context(|| format!("`{line}` printed something that is not UTF-8"))
}

/// What `cmd` prints on stdout, or `None` when it cannot start or fails: used to ask whether a tool is there.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Prints `cmd` as a shell line (`$ VAR=value program args`) and returns that line.
pub fn echo(cmd: &Command) -> String {
    let env = cmd
        .get_envs()
        .filter_map(|(name, value)| Some(format!("{}={}", name.to_string_lossy(), quote(value?))));
    let words = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(quote);
    let line = env.chain(words).collect::<Vec<_>>().join(" ");
    println!("$ {line}");
    line
}

/// `word` as a shell would need it: bare when it has only safe characters, else in single quotes.
fn quote(word: &OsStr) -> String {
    let word = word.to_string_lossy();
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.into_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
