//! How the app refers to a feature of the open project: a leaf module that state, commands
//! and views all share.

/// A feature in the project: layer position and feature index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureRef {
    pub layer: usize,
    pub feature: usize,
}
