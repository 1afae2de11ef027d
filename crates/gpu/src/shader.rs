//! A WGSL shader as this lesson writes one: the bindings its family shares, the kernel itself,
//! and what the Rust side chooses: the constants (a tile's size), so that the number the
//! dispatch is computed from and the number the kernel is compiled with are one and the same,
//! and the precision, `real` in the kernel, compiled as `f32` or `f64`.

/// The floating-point type a kernel computes in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Single precision: what a GPU is built for, twice the operations of `f64` or many more.
    F32,
    /// Double precision, as the vectorize lesson computes.
    F64,
}

impl Precision {
    /// Both, `f32` first.
    pub const ALL: [Precision; 2] = [Precision::F32, Precision::F64];

    /// Its name in WGSL and in Rust.
    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F64 => "f64",
        }
    }

    /// Half the distance from 1 to the next number: the largest relative error of one rounding.
    pub fn unit_roundoff(self) -> f64 {
        match self {
            Precision::F32 => f64::from(f32::EPSILON) / 2.0,
            Precision::F64 => f64::EPSILON / 2.0,
        }
    }
}

/// One compute kernel's source.
#[derive(Debug)]
pub struct Shader {
    /// Its name, for messages and the pipeline cache.
    pub name: &'static str,
    /// The declarations its family binds (`shaders/matmul.wgsl`).
    pub bindings: &'static str,
    /// The kernel, with its entry point `main`.
    pub body: &'static str,
    /// Constants the kernel uses, written ahead of it: `TILE = 16` becomes `const TILE = 16u;`.
    pub constants: &'static [(&'static str, u32)],
}

impl Shader {
    /// The whole WGSL module in `precision`: the type `real` (none for a kernel of integers
    /// only), the constants, the bindings, the kernel.
    pub fn source(&self, precision: Option<Precision>) -> String {
        let constants: String = self
            .constants
            .iter()
            .map(|(name, value)| format!("const {name} = {value}u;\n"))
            .collect();
        let real = precision.map_or(String::new(), |p| format!("alias real = {};\n", p.name()));
        format!("{real}{constants}\n{}\n{}", self.bindings, self.body)
    }
}

/// Every shader of the lesson with the precisions it compiles in, for the checks that need no
/// GPU: the matrix products, the float sum and the FMA peak in both, the exact sums and the
/// read bandwidth in none (integers only).
pub fn all() -> Vec<(&'static Shader, &'static [Option<Precision>])> {
    const BOTH: &[Option<Precision>] = &[Some(Precision::F32), Some(Precision::F64)];
    let products = crate::matmul::LADDER.iter().filter_map(|rung| Some((rung.facts?, BOTH)));
    let sums = crate::sum::LADDER.iter().map(|rung| (&rung.facts.shader, &[None][..]));
    let others = [
        (&crate::float::FLOAT_SHADER, BOTH),
        (&crate::ceilings::FMA_SHADER, BOTH),
        (&crate::ceilings::READ_SHADER, &[None][..]),
    ];
    products.chain(sums).chain(others).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses and validates a shader the way wgpu does before it reaches a driver, with the
    /// capabilities this lesson asks of a device: a mistake in a kernel is caught here, on any
    /// machine, with or without a GPU.
    fn validate(shader: &Shader, precision: Option<Precision>) -> Result<(), String> {
        let source = shader.source(precision);
        let module = naga::front::wgsl::parse_str(&source)
            .map_err(|e| e.emit_to_string_with_path(&source, shader.name))?;
        let capabilities =
            naga::valid::Capabilities::FLOAT64 | naga::valid::Capabilities::SHADER_INT64;
        naga::valid::Validator::new(naga::valid::ValidationFlags::all(), capabilities)
            .validate(&module)
            .map_err(|e| e.emit_to_string_with_path(&source, shader.name))?;
        Ok(())
    }

    #[test]
    fn every_shader_is_valid_wgsl() {
        for (shader, precisions) in all() {
            for &precision in precisions {
                if let Err(why) = validate(shader, precision) {
                    panic!("{} in {precision:?}:\n{why}", shader.name);
                }
            }
        }
    }

    #[test]
    fn a_mistake_in_a_shader_is_caught_without_a_gpu() {
        let broken = Shader {
            name: "broken",
            bindings: crate::matmul::BINDINGS,
            body: "@compute @workgroup_size(1) fn main() { c[0] = undefined_name; }",
            constants: &[],
        };
        let why = validate(&broken, Some(Precision::F32)).expect_err("an unknown name");
        assert!(why.contains("undefined_name"), "{why}");
    }
}
