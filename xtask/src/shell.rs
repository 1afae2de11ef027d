//! Running commands the way a person at a terminal would see them, and installing the tools
//! the workflows need.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The workspace root (the folder holding the top `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Where cargo puts build results (honours `CARGO_TARGET_DIR` and `build.target-dir`).
pub fn target_dir() -> Result<PathBuf> {
    let metadata = output(cargo().args(["metadata", "--format-version", "1", "--no-deps"]))?;
    let metadata: serde_json::Value = serde_json::from_str(&metadata)?;
    let dir =
        metadata["target_directory"].as_str().context("cargo metadata gave no target_directory")?;
    Ok(PathBuf::from(dir))
}

/// `cargo`, the one that runs this xtask.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs `command`, showing it first, and fails if it fails.
pub fn run(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(command));
    let status =
        command.status().with_context(|| format!("cannot start `{}`", describe(command)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(command));
    }
    Ok(())
}

/// Runs `command` and returns what it printed on stdout.
pub fn output(command: &mut Command) -> Result<String> {
    let out = command
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start `{}`", describe(command)))?;
    if !out.status.success() {
        bail!("`{}` failed ({})", describe(command), out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `command` and reads each line it printed as one JSON value (a lesson binary's `--json`).
pub fn json_lines<T: serde::de::DeserializeOwned>(command: &mut Command) -> Result<Vec<T>> {
    let text = output(command)?;
    text.lines()
        .map(|l| {
            serde_json::from_str(l)
                .with_context(|| format!("`{}` printed an unexpected line: {l}", describe(command)))
        })
        .collect()
}

/// The first line `program args` prints, or `None` if it cannot run.
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stdin(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status.success().then(|| text.lines().next().unwrap_or_default().trim().to_string())
}

fn describe(command: &Command) -> String {
    let args: Vec<String> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    format!("{} {}", command.get_program().to_string_lossy(), args.join(" "))
}

/// A tool installed from crates.io with `cargo install --locked`.
pub struct CargoTool {
    /// The crate to install.
    pub krate: &'static str,
    /// The version requirement (`=0.20.0`, `^0.5`).
    pub version: &'static str,
    /// The binary it installs.
    pub binary: &'static str,
    /// A check that the installed binary is an acceptable version, given its `--version`.
    pub accept: fn(&str) -> bool,
}

impl CargoTool {
    /// Installs the tool unless an acceptable version is on the PATH.
    pub fn ensure(&self) -> Result<()> {
        if let Some(version) = probe(self.binary, &["--version"]) {
            if (self.accept)(&version) {
                return Ok(());
            }
            eprintln!("{} is {version}; installing {} {}", self.binary, self.krate, self.version);
        } else {
            eprintln!(
                "{} is not installed; installing it (a one-time build of a few minutes)",
                self.binary
            );
        }
        run(cargo().args(["install", "--locked", self.krate, "--version", self.version]))
    }
}

/// The cargo arguments that build the vectorize lesson's BLAS rung against the system's
/// OpenBLAS, if the linker finds it (installing it with apt-get first where this process may);
/// otherwise none, after saying why the BLAS rung will be skipped.
pub fn blas_features() -> Vec<String> {
    static CHOICE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CHOICE
        .get_or_init(|| {
            if !links_openblas() {
                apt_install("OpenBLAS", &["libopenblas-dev"]);
            }
            if links_openblas() {
                eprintln!(
                    "using the system's OpenBLAS for the BLAS rung (feature openblas-system)"
                );
                vec!["--features".into(), "lesson-vectorize/openblas-system".into()]
            } else {
                eprintln!(
                    "OpenBLAS not found: the vectorize lesson's BLAS rung is skipped (install it \
                     with `apt-get install libopenblas-dev`, or build with the feature \
                     lesson-vectorize/openblas-static, which downloads and compiles it)"
                );
                Vec::new()
            }
        })
        .clone()
}

/// Whether the C linker finds `-lopenblas`.
fn links_openblas() -> bool {
    let dir = std::env::temp_dir().join(format!("xtask-openblas-{}", std::process::id()));
    let found = std::fs::create_dir_all(&dir).is_ok()
        && std::fs::write(dir.join("probe.c"), "int main(void) { return 0; }\n").is_ok()
        && Command::new("cc")
            .arg(dir.join("probe.c"))
            .args(["-lopenblas", "-o"])
            .arg(dir.join("probe"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    let _ = std::fs::remove_dir_all(&dir);
    found
}

/// Installs `packages` with apt-get where this process may (apt-get is here and it runs as
/// root), updating the package lists if a first try fails; whether it installed them.
fn apt_install(what: &str, packages: &[&str]) -> bool {
    let allowed =
        probe("apt-get", &["--version"]).is_some() && probe("id", &["-u"]).as_deref() == Some("0");
    if !allowed {
        return false;
    }
    eprintln!("{what} is not installed: installing {} with apt-get", packages.join(" "));
    let install = |update: bool| {
        if update {
            let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        }
        Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(packages)
            .status()
            .is_ok_and(|s| s.success())
    };
    install(false) || install(true)
}

/// Makes sure the diagnosis lesson's tools are here: `perf` for `--profile`, valgrind for
/// `--sim`, and Python for the programs its exercise diagnoses (installed with apt-get where
/// this process may; otherwise a message, and their tests skip).
pub fn ensure_diagnosis_tools() {
    let missing: Vec<&str> =
        [("perf", "linux-perf"), ("valgrind", "valgrind"), ("python3", "python3")]
            .into_iter()
            .filter(|(tool, _)| probe(tool, &["--version"]).is_none())
            .map(|(_, package)| package)
            .collect();
    if !missing.is_empty() && !apt_install("A diagnosis tool", &missing) {
        eprintln!(
            "{} not installed: the diagnosis lesson's tests of --profile, --sim and Python \
             programs skip (install them with your package manager)",
            missing.join(" and ")
        );
    }
}

/// Installs `ip` and `tc` (Debian's `iproute2`) where missing and apt-get may: the summing
/// cluster's machines on one box need them; without them its processes share loopback, and
/// the tests of network namespaces skip (outside CI).
pub fn ensure_network_tools() {
    if probe("ip", &["-V"]).is_none() && !apt_install("The network tools", &["iproute2"]) {
        eprintln!(
            "iproute2 not installed: the summing cluster runs on loopback, without a network \
             namespace per process (install iproute2 with your package manager)"
        );
    }
}

/// Folders where the Vulkan loader looks for drivers.
const VULKAN_DRIVERS: [&str; 2] = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"];

/// Makes sure a Vulkan driver is here for the GPU lesson: without a GPU, Mesa's lavapipe, which
/// runs the GPU's API on the processor (installed with apt-get where this process may; otherwise
/// a message saying what to install, and the GPU tests skip). Gives what the processes that
/// open a device need in their environment: a runtime folder, if there is none, which Mesa's
/// loader otherwise complains of on every device it opens.
pub fn ensure_vulkan() -> Result<Vec<(&'static str, PathBuf)>> {
    let has_driver = || {
        VULKAN_DRIVERS
            .iter()
            .any(|dir| std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()))
    };
    if !has_driver() && !apt_install("A Vulkan driver", &["mesa-vulkan-drivers", "libvulkan1"]) {
        eprintln!(
            "no Vulkan driver: the GPU lesson's tests skip (install mesa-vulkan-drivers and \
             libvulkan1: Mesa's lavapipe runs every kernel on the processor)"
        );
    }
    if std::env::var_os("XDG_RUNTIME_DIR").is_some() {
        return Ok(Vec::new());
    }
    let dir = target_dir()?.join("xdg-runtime");
    std::fs::create_dir_all(&dir)?;
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(vec![("XDG_RUNTIME_DIR", dir)])
}
