//! A WGSL shader as this lesson writes one: the bindings its family shares, the kernel itself,
//! and the constants the Rust side chooses (a tile's size), so that the number the dispatch is
//! computed from and the number the kernel is compiled with are one and the same.

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
    /// The whole WGSL module: the constants, the bindings, the kernel.
    pub fn source(&self) -> String {
        let constants: String = self
            .constants
            .iter()
            .map(|(name, value)| format!("const {name} = {value}u;\n"))
            .collect();
        format!("{constants}\n{}\n{}", self.bindings, self.body)
    }
}

/// Every shader of the lesson, for the checks that need no GPU.
pub fn all() -> impl Iterator<Item = &'static Shader> {
    crate::matmul::LADDER.iter().map(|rung| rung.facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses and validates a shader the way wgpu does before it reaches a driver, with the
    /// capabilities this lesson asks of a device: a mistake in a kernel is caught here, on any
    /// machine, with or without a GPU.
    fn validate(shader: &Shader) -> Result<(), String> {
        let source = shader.source();
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
        for shader in all() {
            if let Err(why) = validate(shader) {
                panic!("{}:\n{why}", shader.name);
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
        let why = validate(&broken).expect_err("an unknown name");
        assert!(why.contains("undefined_name"), "{why}");
    }
}
