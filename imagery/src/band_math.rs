//! Spectral indices and band-math expressions over co-registered bands.
//!
//! Indices are normalised differences of two bands, named by role (NIR, red, ...), because band
//! numbers differ by sensor: Landsat 8/9 OLI red = B4, NIR = B5; Sentinel-2 red = B4, NIR = B8;
//! 4-band drone orthomosaics are usually R, G, B, NIR.

use std::fmt;

/// The common water-quality and vegetation indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpectralIndex {
    /// (NIR − Red) / (NIR + Red): vegetation.
    Ndvi,
    /// (Green − NIR) / (Green + NIR), McFeeters: open water.
    Ndwi,
    /// (Green − SWIR1) / (Green + SWIR1), Xu: water, robust to built-up areas.
    Mndwi,
    /// (Red − Green) / (Red + Green): turbidity.
    Ndti,
    /// (RedEdge − Red) / (RedEdge + Red): chlorophyll-a, algal blooms.
    Ndci,
}

/// A band's role in the indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Green,
    Red,
    RedEdge,
    Nir,
    Swir1,
}

impl SpectralIndex {
    pub const ALL: [Self; 5] = [Self::Ndvi, Self::Ndwi, Self::Mndwi, Self::Ndti, Self::Ndci];

    /// The two bands of the normalised difference `(a − b) / (a + b)`.
    pub fn roles(self) -> (Role, Role) {
        match self {
            Self::Ndvi => (Role::Nir, Role::Red),
            Self::Ndwi => (Role::Green, Role::Nir),
            Self::Mndwi => (Role::Green, Role::Swir1),
            Self::Ndti => (Role::Red, Role::Green),
            Self::Ndci => (Role::RedEdge, Role::Red),
        }
    }

    /// The expression for a 4-band R, G, B, NIR raster (the usual multispectral orthomosaic);
    /// `None` when the index needs a band such rasters lack (SWIR, red edge).
    pub fn rgbn_expression(self) -> Option<String> {
        let band = |r: Role| match r {
            Role::Red => Some(1),
            Role::Green => Some(2),
            Role::Nir => Some(4),
            Role::RedEdge | Role::Swir1 => None,
        };
        let (a, b) = self.roles();
        let (a, b) = (band(a)?, band(b)?);
        Some(format!("(b{a} - b{b}) / (b{a} + b{b})"))
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Ndvi => "NDVI",
            Self::Ndwi => "NDWI",
            Self::Mndwi => "MNDWI",
            Self::Ndti => "NDTI",
            Self::Ndci => "NDCI",
        }
    }
}

/// Normalised difference per pixel; NaN where either input is missing or both are zero.
pub fn normalized_difference(a: &[f32], b: &[f32]) -> Vec<f32> {
    a.iter()
        .zip(b)
        .map(|(&a, &b)| {
            let sum = a + b;
            if a.is_finite() && b.is_finite() && sum != 0.0 {
                (a - b) / sum
            } else {
                f32::NAN
            }
        })
        .collect()
}

/// A parsed band-math expression over `b1`, `b2`, ... (1-based band numbers).
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f32),
    Band(usize),
    Neg(Box<Expr>),
    Binary(Box<Expr>, char, Box<Expr>),
}

/// Where and why an expression does not parse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("band math: {problem} at character {at}")]
pub struct ExprError {
    pub at: usize,
    pub problem: String,
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Band(b) => write!(f, "b{b}"),
            Self::Neg(e) => write!(f, "-({e})"),
            Self::Binary(a, op, b) => write!(f, "({a} {op} {b})"),
        }
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    bands: usize,
}

impl Parser {
    fn skip(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn err<T>(&self, problem: &str) -> Result<T, ExprError> {
        Err(ExprError {
            at: self.pos + 1,
            problem: problem.to_owned(),
        })
    }

    /// sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut e = self.product()?;
        loop {
            self.skip();
            match self.chars.get(self.pos) {
                Some(&op @ ('+' | '-')) => {
                    self.pos += 1;
                    e = Expr::Binary(Box::new(e), op, Box::new(self.product()?));
                }
                _ => return Ok(e),
            }
        }
    }

    /// product := unary (('*' | '/') unary)*
    fn product(&mut self) -> Result<Expr, ExprError> {
        let mut e = self.unary()?;
        loop {
            self.skip();
            match self.chars.get(self.pos) {
                Some(&op @ ('*' | '/')) => {
                    self.pos += 1;
                    e = Expr::Binary(Box::new(e), op, Box::new(self.unary()?));
                }
                _ => return Ok(e),
            }
        }
    }

    /// unary := '-' unary | atom
    fn unary(&mut self) -> Result<Expr, ExprError> {
        self.skip();
        if self.chars.get(self.pos) == Some(&'-') {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    /// atom := number | 'b' digits | '(' sum ')'
    fn atom(&mut self) -> Result<Expr, ExprError> {
        self.skip();
        match self.chars.get(self.pos) {
            Some('(') => {
                self.pos += 1;
                let e = self.sum()?;
                self.skip();
                if self.chars.get(self.pos) != Some(&')') {
                    return self.err("missing `)`");
                }
                self.pos += 1;
                Ok(e)
            }
            Some('b' | 'B') => {
                self.pos += 1;
                let start = self.pos;
                while self.chars.get(self.pos).is_some_and(char::is_ascii_digit) {
                    self.pos += 1;
                }
                let digits: String = self.chars[start..self.pos].iter().collect();
                match digits.parse::<usize>() {
                    Ok(b) if (1..=self.bands).contains(&b) => Ok(Expr::Band(b)),
                    Ok(b) => self.err(&format!(
                        "there is no band {b} (this raster has {})",
                        self.bands
                    )),
                    Err(_) => self.err("`b` must be followed by a band number"),
                }
            }
            Some(c) if c.is_ascii_digit() || *c == '.' => {
                let start = self.pos;
                while self
                    .chars
                    .get(self.pos)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.' || *c == 'e')
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                text.parse()
                    .map(Expr::Number)
                    .or_else(|_| self.err("not a number"))
            }
            Some(c) => self.err(&format!("unexpected `{c}`")),
            None => self.err("the expression ends too early"),
        }
    }
}

impl Expr {
    /// Parses e.g. `(b4 - b3) / (b4 + b3)` for a raster with `bands` bands.
    pub fn parse(text: &str, bands: usize) -> Result<Self, ExprError> {
        let mut p = Parser {
            chars: text.chars().collect(),
            pos: 0,
            bands,
        };
        let e = p.sum()?;
        p.skip();
        if p.pos < p.chars.len() {
            return p.err("unexpected text after the expression");
        }
        Ok(e)
    }

    fn at(&self, bands: &[&[f32]], i: usize) -> f32 {
        match self {
            Self::Number(n) => *n,
            Self::Band(b) => bands[b - 1][i],
            Self::Neg(e) => -e.at(bands, i),
            Self::Binary(a, op, b) => {
                let (a, b) = (a.at(bands, i), b.at(bands, i));
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ => a / b,
                }
            }
        }
    }

    /// Evaluates per pixel; NaN inputs and divisions by zero give NaN (no data), never ±∞.
    pub fn evaluate(&self, bands: &[&[f32]]) -> Vec<f32> {
        let n = bands.first().map_or(0, |b| b.len());
        (0..n)
            .map(|i| {
                let v = self.at(bands, i);
                if v.is_finite() { v } else { f32::NAN }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndvi_of_vegetation_and_water() {
        let (nir, red) = ([0.5_f32, 0.05, f32::NAN], [0.1_f32, 0.1, 0.1]);
        let v = normalized_difference(&nir, &red);
        assert!((v[0] - 0.6667).abs() < 1e-4);
        assert!(v[1] < 0.0);
        assert!(v[2].is_nan());
    }

    #[test]
    fn expressions_follow_precedence_and_match_the_index() {
        let b: [&[f32]; 4] = [&[1.0, 2.0], &[2.0, 2.0], &[0.1, 0.2], &[0.5, 0.2]];
        let e = Expr::parse("(b4 - b3) / (b4 + b3)", 4).unwrap();
        assert_eq!(e.evaluate(&b), normalized_difference(b[3], b[2]));
        assert_eq!(
            Expr::parse("b1 + b2 * 2", 4).unwrap().evaluate(&b),
            vec![5.0, 6.0]
        );
        assert!(Expr::parse("-b1 / 0", 4).unwrap().evaluate(&b)[0].is_nan());
    }

    #[test]
    fn rgbn_presets_parse_and_skip_missing_bands() {
        let ndvi = SpectralIndex::Ndvi.rgbn_expression().unwrap();
        assert_eq!(ndvi, "(b4 - b1) / (b4 + b1)");
        assert!(Expr::parse(&ndvi, 4).is_ok());
        assert_eq!(SpectralIndex::Mndwi.rgbn_expression(), None);
    }

    #[test]
    fn bad_expressions_say_where() {
        assert_eq!(
            Expr::parse("b1 +", 2).unwrap_err().problem,
            "the expression ends too early"
        );
        assert!(
            Expr::parse("b9", 2)
                .unwrap_err()
                .problem
                .contains("no band 9")
        );
        assert_eq!(Expr::parse("(b1", 2).unwrap_err().at, 4);
        assert!(Expr::parse("b1 ? b2", 2).is_err());
    }
}
